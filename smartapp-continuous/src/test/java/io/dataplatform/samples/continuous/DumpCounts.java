package io.dataplatform.samples.continuous;

import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.SAXParserFactory;

/**
 * What the sample-3 projections must find in a (well-formed) dump, computed another way than the
 * importer's: the JDK's SAX parser, regular expressions for tags, java.time for days of week.
 */
public final class DumpCounts {
    private static final Pattern ANGLE_TAG = Pattern.compile("<([^<>]+)>");

    public final Map<String, Long> postsByTag = new TreeMap<>();
    public final Map<Long, Long> commentsByUser = new HashMap<>();
    public final Map<Long, long[]> weekdaysByUser = new HashMap<>();
    public final Map<Long, String> names = new HashMap<>();
    public long users;
    public long posts;
    public long comments;
    public long anonymousComments;

    public static DumpCounts of(Path dump) throws Exception {
        DumpCounts counts = new DumpCounts();
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.newSAXParser().parse(dump.resolve("Users.xml").toFile(), new DefaultHandler() {
            @Override
            public void startElement(String uri, String local, String name, Attributes attributes) {
                if (name.equals("row")) {
                    counts.users++;
                    counts.names.put(Long.parseLong(attributes.getValue("Id")), attributes.getValue("DisplayName"));
                }
            }
        });
        factory.newSAXParser().parse(dump.resolve("Posts.xml").toFile(), new DefaultHandler() {
            @Override
            public void startElement(String uri, String local, String name, Attributes attributes) {
                if (!name.equals("row")) {
                    return;
                }
                counts.posts++;
                String tags = attributes.getValue("Tags");
                if (tags == null) {
                    return;
                }
                if (tags.startsWith("<")) {
                    Matcher m = ANGLE_TAG.matcher(tags);
                    while (m.find()) {
                        counts.postsByTag.merge(m.group(1), 1L, Long::sum);
                    }
                } else {
                    for (String tag : tags.split("\\|")) {
                        if (!tag.isEmpty()) {
                            counts.postsByTag.merge(tag, 1L, Long::sum);
                        }
                    }
                }
            }
        });
        factory.newSAXParser().parse(dump.resolve("Comments.xml").toFile(), new DefaultHandler() {
            @Override
            public void startElement(String uri, String local, String name, Attributes attributes) {
                if (!name.equals("row")) {
                    return;
                }
                counts.comments++;
                String user = attributes.getValue("UserId");
                if (user == null) {
                    counts.anonymousComments++;
                    return;
                }
                long id = Long.parseLong(user);
                counts.commentsByUser.merge(id, 1L, Long::sum);
                int day = LocalDateTime.parse(attributes.getValue("CreationDate")).getDayOfWeek().getValue() - 1;
                counts.weekdaysByUser.computeIfAbsent(id, k -> new long[7])[day]++;
                counts.names.putIfAbsent(id, attributes.getValue("UserDisplayName"));
            }
        });
        return counts;
    }
}
