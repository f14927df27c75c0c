package io.warden.scanner.catalog;

/**
 * Why a component was identified.
 *
 * @param source the kind of evidence, for example {@code pom.properties}, {@code MANIFEST.MF}, {@code class fingerprint}
 * @param location the file that holds it
 * @param detail what it said, for example {@code Implementation-Version: 5.3.17}
 */
public record Evidence(String source, String location, String detail) {}
