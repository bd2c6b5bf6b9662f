package io.dataplatform.samples.continuous;

import io.dataplatform.samples.continuous.dump.DumpGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code generate --out DIR --posts N --seed S}: writes a synthetic dump. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes a synthetic StackExchange dump (Users.xml, Posts.xml, Comments.xml).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory to write the dump to.")
    Path out;

    @Option(names = "--posts", defaultValue = "10000", description = "Posts (comments: 1.5 per post; users: one per 4 posts) (default: ${DEFAULT-VALUE}).")
    long posts;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed: the same seed and size give the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        DumpGenerator generator = new DumpGenerator(posts, seed);
        generator.writeTo(out);
        long bytes = 0;
        for (String name : new String[] {"Users.xml", "Posts.xml", "Comments.xml"}) {
            bytes += Files.size(out.resolve(name));
        }
        System.out.printf("wrote %,d users, %,d posts, %,d comments (%,.1f MB) to %s in %.1f s%n", generator.users(),
                generator.posts(), generator.comments(), bytes / 1e6, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
