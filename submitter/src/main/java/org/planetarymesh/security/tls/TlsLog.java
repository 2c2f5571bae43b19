package org.planetarymesh.security.tls;

/**
 * The TLS layer's log: SLF4J when it is on the class path (grid nodes, the shell), else the JDK's
 * {@link System.Logger}, so an application with only the submitter jar needs no logging library.
 */
abstract class TlsLog {

    static TlsLog forClass(Class<?> type) {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, TlsLog.class.getClassLoader());
            return new Slf4j(type);
        } catch (ClassNotFoundException | LinkageError e) {
            return new Jdk(type);
        }
    }

    abstract boolean isDebugEnabled();

    abstract void debug(String message);

    abstract void warn(String message);

    private static final class Slf4j extends TlsLog {
        private final org.slf4j.Logger log;

        Slf4j(Class<?> type) {
            this.log = org.slf4j.LoggerFactory.getLogger(type);
        }

        @Override
        boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }

        @Override
        void debug(String message) {
            log.debug(message);
        }

        @Override
        void warn(String message) {
            log.warn(message);
        }
    }

    private static final class Jdk extends TlsLog {
        private final System.Logger log;

        Jdk(Class<?> type) {
            this.log = System.getLogger(type.getName());
        }

        @Override
        boolean isDebugEnabled() {
            return log.isLoggable(System.Logger.Level.DEBUG);
        }

        @Override
        void debug(String message) {
            log.log(System.Logger.Level.DEBUG, message);
        }

        @Override
        void warn(String message) {
            log.log(System.Logger.Level.WARNING, message);
        }
    }
}
