package io.dataplatform.samples.continuous.dump;

import javax.xml.stream.XMLInputFactory;

/**
 * The StAX implementations the importer can read a dump with. All three stream (memory flat
 * whatever the file size) and read the byte-order mark; docs/benchmarks.md has their speed on a
 * generated dump, which is why {@link #AALTO} is the default.
 */
public enum XmlParser {
    /** The JDK's built-in parser (Xerces-derived SJSXP). */
    JDK,
    /** Woodstox 7. */
    WOODSTOX,
    /** Aalto, FasterXML's non-blocking parser, read here in its blocking mode. */
    AALTO;

    /** A factory for this parser, set up for dumps: no DTDs, no external entities, coalesced text. */
    public XMLInputFactory factory() {
        XMLInputFactory factory = switch (this) {
            case JDK -> XMLInputFactory.newDefaultFactory();
            case WOODSTOX -> new com.ctc.wstx.stax.WstxInputFactory();
            case AALTO -> new com.fasterxml.aalto.stax.InputFactoryImpl();
        };
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        return factory;
    }
}
