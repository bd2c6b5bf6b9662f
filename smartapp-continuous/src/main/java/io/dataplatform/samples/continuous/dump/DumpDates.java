package io.dataplatform.samples.continuous.dump;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The dump's timestamps: {@code 2008-07-31T21:42:52.667} (UTC, no zone, milliseconds optional),
 * parsed to and formatted from epoch milliseconds. Parsing reads the fixed positions by hand
 * (it runs for every row); anything else is refused with {@link IllegalArgumentException}.
 * Stateless and thread-safe.
 */
public final class DumpDates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private DumpDates() {
    }

    /** Epoch milliseconds of a dump timestamp. */
    public static long parse(String text) {
        int length = text.length();
        if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            throw new IllegalArgumentException("not a dump timestamp (yyyy-MM-ddTHH:mm:ss.SSS): '" + text + "'");
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = 0;
        if (length > 19) {
            if (text.charAt(19) != '.' || length == 20 || length > 23) {
                throw new IllegalArgumentException("not a dump timestamp (yyyy-MM-ddTHH:mm:ss.SSS): '" + text + "'");
            }
            millis = digits(text, 20, length - 20);
            for (int i = length - 20; i < 3; i++) {
                millis *= 10;
            }
        }
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            throw new IllegalArgumentException("timestamp out of range: '" + text + "'");
        }
        if (day > daysInMonth(year, month)) {
            throw new IllegalArgumentException("no such day: '" + text + "'");
        }
        long days = daysFromEpoch(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** What {@link #parse(byte[], int, int)} answers for anything but a plain, valid dump timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    /**
     * {@link #parse(String)} of the ASCII bytes {@code a[off, off + len)}, without an exception:
     * {@link #INVALID} where {@link #parse(String)} would refuse the text (or the bytes are not
     * ASCII), else the same value.
     */
    public static long parse(byte[] a, int off, int len) {
        if (len < 19 || len == 20 || len > 23 || a[off + 4] != '-' || a[off + 7] != '-' || a[off + 10] != 'T'
                || a[off + 13] != ':' || a[off + 16] != ':' || (len > 19 && a[off + 19] != '.')) {
            return INVALID;
        }
        int century = twoDigits(a, off);
        int yearOfCentury = twoDigits(a, off + 2);
        int year = (century | yearOfCentury) < 0 ? -1 : century * 100 + yearOfCentury;
        int month = twoDigits(a, off + 5);
        int day = twoDigits(a, off + 8);
        int hour = twoDigits(a, off + 11);
        int minute = twoDigits(a, off + 14);
        int second = twoDigits(a, off + 17);
        int millis = 0;
        if (len > 19) {
            millis = digits(a, off + 20, len - 20);
            for (int i = len - 20; i < 3; i++) {
                millis *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | millis) < 0 || month < 1 || month > 12 || day < 1
                || day > 31 || hour > 23 || minute > 59 || second > 60 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        long days = daysFromEpoch(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal number of the two ASCII digits at {@code from}, or a negative number if one is not a digit. */
    private static int twoDigits(byte[] a, int from) {
        int high = a[from] - '0';
        int low = a[from + 1] - '0';
        return (high | low) >= 0 && high <= 9 && low <= 9 ? high * 10 + low : -1000;
    }

    /** The decimal number of {@code count} ASCII digits, or -1 if one is not a digit. */
    private static int digits(byte[] a, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int c = a[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            value = value * 10 + c;
        }
        return value;
    }

    /** The dump's form of epoch milliseconds, always with three digits of milliseconds. */
    public static String format(long epochMillis) {
        return FORMAT.format(LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
    }

    /** Day of week of epoch milliseconds (UTC): 0 = Monday ... 6 = Sunday. */
    public static int dayOfWeek(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        return (int) Math.floorMod(days + 3, 7); // 1970-01-01 was a Thursday
    }

    private static int daysInMonth(int year, int month) {
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static long daysFromEpoch(int year, int month, int day) {
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        long y = year - 1;
        long daysBeforeYear = 365 * y + Math.floorDiv(y, 4) - Math.floorDiv(y, 100) + Math.floorDiv(y, 400);
        long epochDays = 719_162; // days from 0001-01-01 to 1970-01-01
        int dayOfYear = DAYS_BEFORE_MONTH[month - 1] + (leap && month > 2 ? 1 : 0) + day - 1;
        return daysBeforeYear + dayOfYear - epochDays;
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a dump timestamp (digit expected at " + i + "): '" + text + "'");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
