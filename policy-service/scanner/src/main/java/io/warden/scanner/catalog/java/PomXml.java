package io.warden.scanner.catalog.java;

import java.io.ByteArrayInputStream;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The coordinates a {@code pom.xml} states for itself. Only literal values count: a version that is a property
 * reference ({@code ${revision}}) or missing gives nothing, rather than a phantom version.
 */
record PomXml(String groupId, String artifactId, String version) {

    /** The coordinates, or empty when the file is not a POM or does not state all three literally. */
    static Optional<PomXml> parse(byte[] content) {
        Element project;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            project = builder.parse(new ByteArrayInputStream(content)).getDocumentElement();
        } catch (Exception notXml) {
            return Optional.empty();
        }
        if (!"project".equals(project.getTagName())) {
            return Optional.empty();
        }
        Element parent = child(project, "parent");
        String groupId = text(project, "groupId");
        String artifactId = text(project, "artifactId");
        String version = text(project, "version");
        String parentGroupId = parent == null ? null : text(parent, "groupId");
        String parentVersion = parent == null ? null : text(parent, "version");
        if (groupId == null) {
            groupId = parentGroupId;
        }
        // A missing version is inherited from the parent only within the same group (one project's modules).
        if (version == null && groupId != null && groupId.equals(parentGroupId)) {
            version = parentVersion;
        }
        if (!literal(groupId) || !literal(artifactId) || !literal(version)) {
            return Optional.empty();
        }
        return Optional.of(new PomXml(groupId, artifactId, version));
    }

    private static boolean literal(String value) {
        return value != null && !value.isBlank() && !value.contains("${");
    }

    private static Element child(Element element, String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element element, String name) {
        Element child = child(element, name);
        return child == null ? null : child.getTextContent().trim();
    }
}
