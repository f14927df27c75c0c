package io.warden.service.store;

/** How many events of a report were new and how many had been stored before (same id). */
public record IngestResult(int accepted, int duplicates) {}
