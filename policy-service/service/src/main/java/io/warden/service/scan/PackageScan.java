package io.warden.service.scan;

/**
 * What a package scan found.
 *
 * @param summaryJson a small JSON object for the inventory, e.g. component and finding counts by severity
 * @param resultJson the full result as a JSON document
 */
public record PackageScan(String summaryJson, String resultJson) {}
