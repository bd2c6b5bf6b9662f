package io.dataplatform.samples.continuous.dump;

import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.PostEvent;
import io.dataplatform.samples.continuous.events.UserEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The three files of a dump the importer reads, in the order it reads them, and how a row of each
 * becomes an event. Users come last: the projections take a user's name from whichever of the
 * user and the user's comments comes first and let {@code Users.xml} have the last word, so the
 * order changes no view once the import is done; the short rows of {@code Users.xml} are the
 * ones that suffer most from a cold JVM (the scanner not yet compiled), and after the two large
 * files they are read by compiled code. Unknown attributes are ignored; a missing required attribute or a value that does not
 * parse makes the row bad ({@link BadRowException}, naming the attribute). Stateless.
 */
public enum DumpFile {
    POSTS("Posts.xml"),
    COMMENTS("Comments.xml"),
    USERS("Users.xml");

    private final String fileName;

    DumpFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The event of {@code row}, a row of this file. */
    public DumpEvent decode(DumpRow row) throws BadRowException {
        if (row.error() != null) {
            throw new BadRowException("unreadable XML: " + row.error());
        }
        return switch (this) {
            case USERS -> user(row);
            case POSTS -> post(row);
            case COMMENTS -> comment(row);
        };
    }

    private static UserEvent user(DumpRow row) throws BadRowException {
        Long id = null;
        Long created = null;
        Long lastAccess = null;
        Long account = null;
        Integer reputation = null;
        Integer views = null;
        Integer up = null;
        Integer down = null;
        String name = null;
        String website = null;
        String location = null;
        String about = null;
        for (int i = 0; i < row.size(); i++) {
            String value = row.value(i);
            switch (row.name(i)) {
                case "Id" -> id = number("Id", value);
                case "Reputation" -> reputation = integer("Reputation", value);
                case "CreationDate" -> created = date("CreationDate", value);
                case "DisplayName" -> name = value;
                case "LastAccessDate" -> lastAccess = date("LastAccessDate", value);
                case "WebsiteUrl" -> website = value;
                case "Location" -> location = value;
                case "AboutMe" -> about = value;
                case "Views" -> views = integer("Views", value);
                case "UpVotes" -> up = integer("UpVotes", value);
                case "DownVotes" -> down = integer("DownVotes", value);
                case "AccountId" -> account = number("AccountId", value);
                default -> { }
            }
        }
        return new UserEvent(required("Id", id), reputation, required("CreationDate", created), name, lastAccess,
                website, location, about, views, up, down, account);
    }

    private static PostEvent post(DumpRow row) throws BadRowException {
        Long id = null;
        Integer type = null;
        Long accepted = null;
        Long parent = null;
        Long created = null;
        Integer score = null;
        Integer views = null;
        String body = null;
        Long owner = null;
        String ownerName = null;
        Long editor = null;
        String editorName = null;
        Long edited = null;
        Long activity = null;
        String title = null;
        List<String> tags = List.of();
        Integer answers = null;
        Integer comments = null;
        Integer favorites = null;
        Long closed = null;
        Long communityOwned = null;
        String license = null;
        for (int i = 0; i < row.size(); i++) {
            String value = row.value(i);
            switch (row.name(i)) {
                case "Id" -> id = number("Id", value);
                case "PostTypeId" -> type = integer("PostTypeId", value);
                case "AcceptedAnswerId" -> accepted = number("AcceptedAnswerId", value);
                case "ParentId" -> parent = number("ParentId", value);
                case "CreationDate" -> created = date("CreationDate", value);
                case "Score" -> score = integer("Score", value);
                case "ViewCount" -> views = integer("ViewCount", value);
                case "Body" -> body = value;
                case "OwnerUserId" -> owner = number("OwnerUserId", value);
                case "OwnerDisplayName" -> ownerName = value;
                case "LastEditorUserId" -> editor = number("LastEditorUserId", value);
                case "LastEditorDisplayName" -> editorName = value;
                case "LastEditDate" -> edited = date("LastEditDate", value);
                case "LastActivityDate" -> activity = date("LastActivityDate", value);
                case "Title" -> title = value;
                case "Tags" -> tags = tags(value);
                case "AnswerCount" -> answers = integer("AnswerCount", value);
                case "CommentCount" -> comments = integer("CommentCount", value);
                case "FavoriteCount" -> favorites = integer("FavoriteCount", value);
                case "ClosedDate" -> closed = date("ClosedDate", value);
                case "CommunityOwnedDate" -> communityOwned = date("CommunityOwnedDate", value);
                case "ContentLicense" -> license = value;
                default -> { }
            }
        }
        return new PostEvent(required("Id", id), required("PostTypeId", type), accepted, parent,
                required("CreationDate", created), score, views, body, owner, ownerName, editor, editorName, edited,
                activity, title, tags, answers, comments, favorites, closed, communityOwned, license);
    }

    private static CommentEvent comment(DumpRow row) throws BadRowException {
        Long id = null;
        Long post = null;
        Integer score = null;
        String text = null;
        Long created = null;
        Long user = null;
        String userName = null;
        String license = null;
        for (int i = 0; i < row.size(); i++) {
            String value = row.value(i);
            switch (row.name(i)) {
                case "Id" -> id = number("Id", value);
                case "PostId" -> post = number("PostId", value);
                case "Score" -> score = integer("Score", value);
                case "Text" -> text = value;
                case "CreationDate" -> created = date("CreationDate", value);
                case "UserId" -> user = number("UserId", value);
                case "UserDisplayName" -> userName = value;
                case "ContentLicense" -> license = value;
                default -> { }
            }
        }
        return new CommentEvent(required("Id", id), required("PostId", post), score, text,
                required("CreationDate", created), user, userName, license);
    }

    /**
     * The tags of a post, from either form: {@code <java><c#>} (older dumps) or {@code |java|c#|}
     * (since 2023). Empty parts are dropped; anything else is one tag.
     */
    public static List<String> tags(String value) {
        List<String> tags = new ArrayList<>(4);
        if (value.isEmpty()) {
            return tags;
        }
        if (value.charAt(0) == '<') {
            int at = 0;
            while (at < value.length()) {
                int open = value.indexOf('<', at);
                if (open < 0) {
                    break;
                }
                int close = value.indexOf('>', open + 1);
                if (close < 0) {
                    close = value.length();
                }
                if (close > open + 1) {
                    tags.add(value.substring(open + 1, close));
                }
                at = close + 1;
            }
        } else {
            int at = 0;
            while (at <= value.length()) {
                int bar = value.indexOf('|', at);
                int end = bar < 0 ? value.length() : bar;
                if (end > at) {
                    tags.add(value.substring(at, end));
                }
                at = end + 1;
            }
        }
        return tags;
    }

    private static <T> T required(String attribute, T value) throws BadRowException {
        if (value == null) {
            throw new BadRowException("missing attribute " + attribute);
        }
        return value;
    }

    private static long number(String attribute, String value) throws BadRowException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRowException("attribute " + attribute + " is not a number: '" + shortened(value) + "'");
        }
    }

    private static int integer(String attribute, String value) throws BadRowException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRowException("attribute " + attribute + " is not a 32-bit number: '" + shortened(value) + "'");
        }
    }

    private static long date(String attribute, String value) throws BadRowException {
        try {
            return DumpDates.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadRowException("attribute " + attribute + " is not a date: '" + shortened(value) + "'");
        }
    }

    private static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
