package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The report read back as XML: the page as a whole, and every SVG on its own. */
final class ReportXml {
  private ReportXml() {}

  static Document parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(false);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** Every {@code <svg>...</svg>} of the page, parsed by itself (each must be a well-formed document). */
  static List<Document> svgs(String html) {
    List<Document> out = new ArrayList<>();
    Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
    while (m.find()) {
      out.add(parse(m.group()));
    }
    return out;
  }

  static Element byId(Document doc, String id) {
    Element e = find(doc.getDocumentElement(), id);
    assertNotNull(e, "no element with id " + id);
    return e;
  }

  static Element findId(Document doc, String id) {
    return find(doc.getDocumentElement(), id);
  }

  private static Element find(Element e, String id) {
    if (id.equals(e.getAttribute("id"))) {
      return e;
    }
    NodeList c = e.getChildNodes();
    for (int i = 0; i < c.getLength(); i++) {
      if (c.item(i) instanceof Element child) {
        Element f = find(child, id);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /** Descendants of {@code e} with this tag and, when {@code cls} is not null, this class. */
  static List<Element> all(Element e, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList l = e.getElementsByTagName(tag);
    for (int i = 0; i < l.getLength(); i++) {
      Element x = (Element) l.item(i);
      if (cls == null || List.of(x.getAttribute("class").split(" ")).contains(cls)) {
        out.add(x);
      }
    }
    return out;
  }

  static double[] numbers(String s) {
    if (s.isBlank()) {
      return new double[0];
    }
    String[] p = s.trim().split(" ");
    double[] v = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      v[i] = Double.parseDouble(p[i]);
    }
    return v;
  }

  /** The y pixel coordinates of a polyline's points. */
  static double[] pointsY(Element polyline) {
    String[] pts = polyline.getAttribute("points").trim().split(" ");
    double[] y = new double[pts.length];
    for (int i = 0; i < pts.length; i++) {
      y[i] = Double.parseDouble(pts[i].split(",")[1]);
    }
    return y;
  }

  static String text(Node n) {
    return n.getTextContent();
  }
}
