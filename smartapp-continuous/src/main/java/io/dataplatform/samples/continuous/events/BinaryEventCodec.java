package io.dataplatform.samples.continuous.events;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's event form: a type byte ({@code 'U'}, {@code 'P'}, {@code 'C'}), a bit set of the
 * optional attributes present (unsigned varint, bit i for the i-th optional attribute in record
 * order), then the required and present optional attributes in record order: integers and dates
 * (epoch milliseconds) as zig-zag varints, strings as a varint byte length and UTF-8, tags as a
 * varint count and strings. Not thread-safe: reuses its output buffer.
 */
final class BinaryEventCodec implements EventCodec {
    static final int USER = 'U';
    static final int POST = 'P';
    static final int COMMENT = 'C';

    private final BinaryOut out = new BinaryOut(4096);

    @Override
    public byte[] array() {
        return out.array();
    }

    @Override
    public int encode(DumpEvent event) {
        out.reset();
        if (event instanceof PostEvent p) {
            encodePost(p);
        } else if (event instanceof CommentEvent c) {
            encodeComment(c);
        } else {
            encodeUser((UserEvent) event);
        }
        return out.size();
    }

    private void encodeUser(UserEvent u) {
        out.writeByte(USER);
        out.writeUnsigned(bits(u.reputation(), u.displayName(), u.lastAccessDate(), u.websiteUrl(), u.location(),
                u.aboutMe(), u.views(), u.upVotes(), u.downVotes(), u.accountId()));
        out.writeSigned(u.id());
        number(u.reputation());
        out.writeSigned(u.creationDate());
        text(u.displayName());
        number(u.lastAccessDate());
        text(u.websiteUrl());
        text(u.location());
        text(u.aboutMe());
        number(u.views());
        number(u.upVotes());
        number(u.downVotes());
        number(u.accountId());
    }

    private void encodePost(PostEvent p) {
        out.writeByte(POST);
        out.writeUnsigned(bits(p.acceptedAnswerId(), p.parentId(), p.score(), p.viewCount(), p.body(),
                p.ownerUserId(), p.ownerDisplayName(), p.lastEditorUserId(), p.lastEditorDisplayName(),
                p.lastEditDate(), p.lastActivityDate(), p.title(), p.answerCount(), p.commentCount(),
                p.favoriteCount(), p.closedDate(), p.communityOwnedDate(), p.contentLicense()));
        out.writeSigned(p.id());
        out.writeSigned(p.postTypeId());
        number(p.acceptedAnswerId());
        number(p.parentId());
        out.writeSigned(p.creationDate());
        number(p.score());
        number(p.viewCount());
        text(p.body());
        number(p.ownerUserId());
        text(p.ownerDisplayName());
        number(p.lastEditorUserId());
        text(p.lastEditorDisplayName());
        number(p.lastEditDate());
        number(p.lastActivityDate());
        text(p.title());
        out.writeUnsigned(p.tags().size());
        for (String tag : p.tags()) {
            out.writeString(tag);
        }
        number(p.answerCount());
        number(p.commentCount());
        number(p.favoriteCount());
        number(p.closedDate());
        number(p.communityOwnedDate());
        text(p.contentLicense());
    }

    private void encodeComment(CommentEvent c) {
        out.writeByte(COMMENT);
        out.writeUnsigned(bits(c.score(), c.text(), c.userId(), c.userDisplayName(), c.contentLicense()));
        out.writeSigned(c.id());
        out.writeSigned(c.postId());
        number(c.score());
        text(c.text());
        out.writeSigned(c.creationDate());
        number(c.userId());
        text(c.userDisplayName());
        text(c.contentLicense());
    }

    private static long bits(Object... optional) {
        long bits = 0;
        for (int i = 0; i < optional.length; i++) {
            if (optional[i] != null) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    private void number(Number value) {
        if (value != null) {
            out.writeSigned(value.longValue());
        }
    }

    private void text(String value) {
        if (value != null) {
            out.writeString(value);
        }
    }

    @Override
    public DumpEvent decode(String stream, byte[] data) {
        BinaryIn in = new BinaryIn(ByteBuffer.wrap(data));
        int type = in.readByte();
        Fields f = new Fields(in, in.readUnsigned());
        return switch (type) {
            case USER -> new UserEvent(in.readSigned(), f.integer(), in.readSigned(), f.text(), f.number(), f.text(),
                    f.text(), f.text(), f.integer(), f.integer(), f.integer(), f.number());
            case POST -> decodePost(in, f);
            case COMMENT -> new CommentEvent(in.readSigned(), in.readSigned(), f.integer(), f.text(), in.readSigned(),
                    f.number(), f.text(), f.text());
            default -> throw new IllegalArgumentException("not a dump event: type byte " + type + " in stream " + stream);
        };
    }

    private static PostEvent decodePost(BinaryIn in, Fields f) {
        long id = in.readSigned();
        int type = (int) in.readSigned();
        Long accepted = f.number();
        Long parent = f.number();
        long created = in.readSigned();
        Integer score = f.integer();
        Integer views = f.integer();
        String body = f.text();
        Long owner = f.number();
        String ownerName = f.text();
        Long editor = f.number();
        String editorName = f.text();
        Long edited = f.number();
        Long activity = f.number();
        String title = f.text();
        int tagCount = Math.toIntExact(in.readUnsigned());
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(in.readString());
        }
        return new PostEvent(id, type, accepted, parent, created, score, views, body, owner, ownerName, editor,
                editorName, edited, activity, title, tags, f.integer(), f.integer(), f.integer(), f.number(), f.number(),
                f.text());
    }

    /** The optional attributes of one event, read in order against the presence bits. */
    private static final class Fields {
        private final BinaryIn in;
        private final long bits;
        private int next;

        Fields(BinaryIn in, long bits) {
            this.in = in;
            this.bits = bits;
        }

        private boolean present() {
            return (bits & (1L << next++)) != 0;
        }

        Long number() {
            return present() ? in.readSigned() : null;
        }

        Integer integer() {
            return present() ? Math.toIntExact(in.readSigned()) : null;
        }

        String text() {
            return present() ? in.readString() : null;
        }
    }
}
