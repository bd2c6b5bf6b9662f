package io.dataplatform.samples.continuous.dump;

import javax.xml.stream.XMLInputFactory;

/**
 * How the importer reads a dump: {@link #FAST}, a byte scanner ({@link FastDumpReader}) that hands
 * what it does not recognise to Aalto, or one of three StAX implementations throughout. All stream
 * (memory flat whatever the file size) and read the byte-order mark; docs/benchmarks.md has their
 * speed on a generated dump, which is why {@link #FAST} is the default, and Aalto the StAX parser
 * behind it.
 */
public enum XmlParser {
    /** {@link FastDumpReader}: the dumps' one-row-per-line form scanned as bytes; anything else read by Aalto. */
    FAST,
    /** The JDK's built-in parser (Xerces-derived SJSXP). */
    JDK,
    /** Woodstox 7. */
    WOODSTOX,
    /** Aalto, FasterXML's non-blocking parser, read here in its blocking mode. */
    AALTO;

    /** A StAX factory for this parser (Aalto's for {@link #FAST}), set up for dumps: no DTDs, no external entities. */
    public XMLInputFactory factory() {
        XMLInputFactory factory = switch (this) {
            case JDK -> XMLInputFactory.newDefaultFactory();
            case WOODSTOX -> new com.ctc.wstx.stax.WstxInputFactory();
            case AALTO, FAST -> new com.fasterxml.aalto.stax.InputFactoryImpl();
        };
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        return factory;
    }
}
