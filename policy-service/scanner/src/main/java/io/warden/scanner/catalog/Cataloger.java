package io.warden.scanner.catalog;

import io.warden.scanner.archive.Archive;
import java.util.List;

/**
 * Identifies the packages of one ecosystem. A cataloger opens one {@link ArchiveCatalog} per archive (nested ones
 * included), which sees that archive's entries as they are read and then names the components it found.
 * Implementations are registered in {@link Catalogers}.
 */
public interface Cataloger {

    ArchiveCatalog open(Archive archive);

    /** The components of one archive, gathered while its entries are read. */
    interface ArchiveCatalog {
        /** Whether {@link #entry} needs the content of the entry at this path. */
        boolean wantsContent(String path);

        /** One entry; {@code content} is null unless {@link #wantsContent} asked for it (and it was within limits). */
        void entry(String path, byte[] content);

        /**
         * Whether the entries seen so far name this archive as a published artifact (a library with its own
         * coordinates and version), whose content is therefore not the package owner's own code.
         */
        default boolean identifiesPublishedArtifact() {
            return false;
        }

        /** Called once after the last entry. */
        List<Component> finish();
    }
}
