package io.crema.cache.statemachine;

/** Counters are stored as canonical decimal ASCII 64-bit integers (as Redis does). */
final class DecimalCounter {
  private DecimalCounter() {}

  /**
   * Whether {@code b[off, off + len)} is a canonical decimal signed 64-bit integer ("-0" and
   * leading zeros are not).
   */
  static boolean isValid(byte[] b, int off, int len) {
    if (len == 0 || len > 20) {
      return false;
    }
    int end = off + len;
    boolean negative = b[off] == '-';
    int i = negative ? off + 1 : off;
    if (i == end || (b[i] == '0' && (end > i + 1 || negative))) {
      return false;
    }
    long acc = 0; // accumulated negatively so that Long.MIN_VALUE fits
    for (; i < end; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9 || acc < (Long.MIN_VALUE + digit) / 10) {
        return false;
      }
      acc = acc * 10 - digit;
    }
    return negative || acc != Long.MIN_VALUE;
  }

  /** Parses a value for which {@link #isValid} holds. */
  static long parse(byte[] b, int off, int len) {
    boolean negative = b[off] == '-';
    long acc = 0;
    for (int i = negative ? off + 1 : off; i < off + len; i++) {
      acc = acc * 10 - (b[i] - '0');
    }
    return negative ? acc : -acc;
  }
}
