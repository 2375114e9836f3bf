package org.explosionlab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A report page parsed with the JDK's XML parser: parsing fails unless the markup is
 * well-formed, and XPath then reads what the page shows.
 */
final class XhtmlDocument {

    private final Document document;
    private final XPath xpath = XPathFactory.newInstance().newXPath();

    private XhtmlDocument(Document document) {
        this.document = document;
    }

    /** Parses {@code file}; throws if it is not well-formed. */
    static XhtmlDocument parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return new XhtmlDocument(factory.newDocumentBuilder().parse(file.toFile()));
    }

    /** The string values of the nodes {@code expression} selects. */
    List<String> all(String expression) throws Exception {
        NodeList nodes = (NodeList) xpath.evaluate(expression, document, XPathConstants.NODESET);
        List<String> values = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent());
        }
        return values;
    }

    /** The string value of {@code expression}. */
    String text(String expression) throws Exception {
        return xpath.evaluate(expression, document);
    }

}
