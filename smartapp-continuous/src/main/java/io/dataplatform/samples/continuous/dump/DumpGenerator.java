package io.dataplatform.samples.continuous.dump;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a synthetic StackExchange dump ({@code Users.xml}, {@code Posts.xml},
 * {@code Comments.xml}) in the published format, the same for the same seed and size. Tags,
 * users and days follow Zipf's law; post ids cycle through two questions and three answers, so
 * that an answer's question and a question's accepted answer are computed, never remembered:
 * memory stays flat whatever the size (a table per Zipf distribution: tags, users, days).
 *
 * <p>Counters in the rows ({@code AnswerCount}, {@code CommentCount}) are plausible, not
 * consistent with the other rows. About 2 % of posts and comments have a deleted author (a
 * display name without a user id). Older posts spell tags {@code <a><b>}, newer ones {@code |a|b|}.
 * Not thread-safe.
 */
public final class DumpGenerator {
    /** 2008-07-31T00:00:00Z, the first day of the StackOverflow dumps. */
    static final long FIRST_DAY = 1_217_462_400_000L;
    static final int DAYS = 5_000;
    private static final String[] WELL_KNOWN_TAGS = {
        "java", "c#", "javascript", "python", "c++", ".net", "node.js", "sql-server", "asp.net-mvc", "ruby-on-rails"};
    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "zu", "ter", "on", "ba", "rex", "io", "da", "ta", "sync", "web", "net", "map", "qu"};
    private static final String[] WORDS = {
        "the", "store", "event", "stream", "view", "projection", "reader", "writer", "batch", "commit",
        "pointer", "node", "chunk", "file", "query", "index", "value", "error", "thread", "buffer"};

    private final SplittableRandom random;
    private final long posts;
    private final long comments;
    private final int users;
    private final Zipf tagRanks;
    private final Zipf userRanks;
    private final Zipf dayRanks;
    private final String[] tags;

    public DumpGenerator(long posts, long seed) {
        if (posts < 1) {
            throw new IllegalArgumentException("a dump needs at least one post: " + posts);
        }
        this.random = new SplittableRandom(seed);
        this.posts = posts;
        this.comments = posts * 3 / 2;
        this.users = (int) Math.max(10, Math.min(posts / 4, 5_000_000));
        int tagCount = (int) Math.max(50, Math.min(posts / 20, 60_000));
        this.tags = new String[tagCount];
        for (int i = 0; i < tagCount; i++) {
            tags[i] = i < WELL_KNOWN_TAGS.length ? WELL_KNOWN_TAGS[i] : tagName(i);
        }
        this.tagRanks = new Zipf(tagCount, 1.05);
        this.userRanks = new Zipf(users, 1.1);
        this.dayRanks = new Zipf(DAYS, 0.6);
    }

    public long posts() {
        return posts;
    }

    public long comments() {
        return comments;
    }

    /** Users, the Community user (-1) included. */
    public long users() {
        return users + 1L;
    }

    /** Writes the three files into {@code dir} (created if needed), replacing them. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeUsers(dir.resolve("Users.xml"));
        writePosts(dir.resolve("Posts.xml"));
        writeComments(dir.resolve("Comments.xml"));
    }

    private void writeUsers(Path file) throws IOException {
        try (RowWriter out = new RowWriter(file, "users")) {
            out.row().attribute("Id", -1).attribute("Reputation", 1)
                    .attribute("CreationDate", DumpDates.format(FIRST_DAY - 86_400_000L))
                    .attribute("DisplayName", "Community").attribute("LastAccessDate", DumpDates.format(FIRST_DAY))
                    .attribute("WebsiteUrl", "https://meta.stackexchange.com/").attribute("Location", "on the server farm")
                    .attribute("AboutMe", "<p>Hi, I'm not really a person.</p>")
                    .attribute("Views", 649).attribute("UpVotes", 1_000).attribute("DownVotes", 2_000)
                    .attribute("AccountId", -1).endRow();
            for (int id = 1; id <= users; id++) {
                long created = date();
                out.row().attribute("Id", id).attribute("Reputation", 1 + random.nextInt(1 + 100_000 / (1 + id / 10)))
                        .attribute("CreationDate", DumpDates.format(created))
                        .attribute("DisplayName", displayName(id))
                        .attribute("LastAccessDate", DumpDates.format(created + random.nextLong(86_400_000L * 400)))
                        .attribute("WebsiteUrl", random.nextInt(4) == 0 ? "https://example.org/~u" + id : null)
                        .attribute("Location", random.nextInt(3) == 0 ? "City " + random.nextInt(500) : null)
                        .attribute("AboutMe", random.nextInt(3) == 0 ? "<p>" + sentence(8) + "</p>" : null)
                        .attribute("Views", random.nextInt(1_000)).attribute("UpVotes", random.nextInt(500))
                        .attribute("DownVotes", random.nextInt(50)).attribute("AccountId", 10_000L + id).endRow();
            }
        }
    }

    private void writePosts(Path file) throws IOException {
        try (RowWriter out = new RowWriter(file, "posts")) {
            for (long id = 1; id <= posts; id++) {
                long created = date();
                boolean question = isQuestion(id);
                out.row().attribute("Id", id).attribute("PostTypeId", question ? 1 : 2);
                if (question && id % 5 == 0 && id + 2 <= posts && random.nextInt(2) == 0) {
                    out.attribute("AcceptedAnswerId", id + 2);
                }
                if (!question) {
                    out.attribute("ParentId", parentOf(id));
                }
                out.attribute("CreationDate", DumpDates.format(created)).attribute("Score", random.nextInt(40) - 3);
                if (question) {
                    out.attribute("ViewCount", random.nextInt(50_000));
                }
                out.attribute("Body", body());
                author(out, "OwnerUserId", "OwnerDisplayName");
                if (random.nextInt(3) == 0) {
                    out.attribute("LastEditorUserId", user()).attribute("LastEditDate", DumpDates.format(created + 3_600_000L));
                }
                out.attribute("LastActivityDate", DumpDates.format(created + 7_200_000L));
                if (question) {
                    out.attribute("Title", capitalized(sentence(6)) + "?").attribute("Tags", tags(id))
                            .attribute("AnswerCount", random.nextInt(6));
                }
                out.attribute("CommentCount", random.nextInt(5));
                if (question && random.nextInt(4) == 0) {
                    out.attribute("FavoriteCount", random.nextInt(20));
                }
                out.attribute("ContentLicense", created < FIRST_DAY + 86_400_000L * 1_000 ? "CC BY-SA 2.5" : "CC BY-SA 4.0").endRow();
            }
        }
    }

    private void writeComments(Path file) throws IOException {
        try (RowWriter out = new RowWriter(file, "comments")) {
            for (long id = 1; id <= comments; id++) {
                out.row().attribute("Id", id).attribute("PostId", 1 + random.nextLong(posts))
                        .attribute("Score", random.nextInt(10)).attribute("Text", sentence(12))
                        .attribute("CreationDate", DumpDates.format(date()));
                author(out, "UserId", "UserDisplayName");
                out.attribute("ContentLicense", "CC BY-SA 4.0").endRow();
            }
        }
    }

    /** Posts 1, 2 of every five are questions; 3, 4, 5 answers (ids counted from 0 modulo 5: 0, 1 questions). */
    static boolean isQuestion(long id) {
        return id % 5 < 2;
    }

    /** The question an answer belongs to: two ids before in an accepted answer's slot, else any earlier question. */
    private long parentOf(long id) {
        if (id % 5 == 2 && id > 5) {
            return id - 2;
        }
        long before = (id - 1) / 5 + (id + 3) / 5;   // questions among ids 1 .. id-1
        long k = 1 + random.nextLong(before);         // the k-th question, from 1: 1, 5, 6, 10, 11, ...
        if (k == 1) {
            return 1;
        }
        long m = k - 2;
        return 5 * (m / 2 + 1) + m % 2;
    }

    private void author(RowWriter out, String idAttribute, String nameAttribute) {
        if (random.nextInt(50) == 0) {
            out.attribute(nameAttribute, "deleted" + random.nextInt(10_000));
        } else {
            out.attribute(idAttribute, user());
        }
    }

    private long user() {
        return random.nextInt(200) == 0 ? -1 : 1 + userRanks.next(random);
    }

    private long date() {
        int day = DAYS - 1 - dayRanks.next(random);
        return FIRST_DAY + day * 86_400_000L + random.nextLong(86_400_000L);
    }

    private String tags(long postId) {
        int count = 1 + random.nextInt(4);
        StringBuilder out = new StringBuilder();
        boolean older = postId <= posts / 2;
        String[] chosen = new String[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            String tag = tags[tagRanks.next(random)];
            boolean seen = false;
            for (int j = 0; j < n; j++) {
                seen |= chosen[j].equals(tag);
            }
            if (!seen) {
                chosen[n++] = tag;
            }
        }
        for (int i = 0; i < n; i++) {
            out.append(older ? "<" : "|").append(chosen[i]).append(older ? ">" : "");
        }
        return older ? out.toString() : out.append('|').toString();
    }

    private String body() {
        StringBuilder out = new StringBuilder(1024);
        int paragraphs = 1 + random.nextInt(4);
        for (int i = 0; i < paragraphs; i++) {
            out.append("<p>").append(capitalized(sentence(10 + random.nextInt(30)))).append(".</p>\n");
            if (random.nextInt(3) == 0) {
                out.append("<pre><code>if (a &lt; b &amp;&amp; c) { return \"x\"; }\n</code></pre>\n");
            }
        }
        if (random.nextInt(40) == 0) {
            out.append("<p>Thanks \uD83D\uDE00</p>\n"); // a character outside the BMP, as real posts have
        }
        return out.toString();
    }

    private String sentence(int words) {
        StringBuilder out = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return out.toString();
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String displayName(int id) {
        return SYLLABLES[id % SYLLABLES.length] + SYLLABLES[(id / 7) % SYLLABLES.length] + " " + id;
    }

    private static String tagName(int index) {
        StringBuilder out = new StringBuilder();
        int n = index;
        do {
            out.append(SYLLABLES[n % SYLLABLES.length]);
            n /= SYLLABLES.length;
        } while (n > 0);
        return index % 7 == 0 ? out.append('-').append(index % 100).toString() : out.toString();
    }
}
