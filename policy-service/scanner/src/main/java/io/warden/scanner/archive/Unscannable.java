package io.warden.scanner.archive;

/** A part of a package that could not be read: where, and why. */
public record Unscannable(String location, String reason) {}
