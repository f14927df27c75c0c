package io.warden.scanner.secrets;

import io.warden.scanner.Severity;

/**
 * A secret found in a package, never with its full value.
 *
 * @param rule what kind of secret, for example {@code aws-access-key-pair}
 * @param location the file (a class file for string constants)
 * @param line the 1-based line in a text file, or 0 for a class file's constant pool
 * @param masked the value with all but its first characters masked
 */
public record SecretFinding(String rule, String title, Severity severity, String location, int line, String masked) {}
