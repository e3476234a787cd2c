package io.crema.cache.statemachine;

/** Counters are stored as canonical decimal ASCII 64-bit integers (as Redis does). */
final class DecimalCounter {
  private DecimalCounter() {}

  /** Whether b is a canonical decimal signed 64-bit integer ("-0" and leading zeros are not). */
  static boolean isValid(byte[] b) {
    int len = b.length;
    if (len == 0 || len > 20) {
      return false;
    }
    boolean negative = b[0] == '-';
    int i = negative ? 1 : 0;
    if (i == len || (b[i] == '0' && (len > i + 1 || negative))) {
      return false;
    }
    long acc = 0; // accumulated negatively so that Long.MIN_VALUE fits
    for (; i < len; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9 || acc < (Long.MIN_VALUE + digit) / 10) {
        return false;
      }
      acc = acc * 10 - digit;
    }
    return negative || acc != Long.MIN_VALUE;
  }

  /** Parses a value for which {@link #isValid} holds. */
  static long parse(byte[] b) {
    boolean negative = b[0] == '-';
    long acc = 0;
    for (int i = negative ? 1 : 0; i < b.length; i++) {
      acc = acc * 10 - (b[i] - '0');
    }
    return negative ? acc : -acc;
  }
}
