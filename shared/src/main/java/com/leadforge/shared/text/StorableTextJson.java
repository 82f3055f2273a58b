package com.leadforge.shared.text;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Every JSON document the service's ObjectMapper reads (request bodies of every resource, whatever their Java type:
 * records, maps, untyped values, {@code JsonNode}) is checked before it is bound: a string value or member name that
 * PostgreSQL could not store ({@link StorableText}) fails with an {@link UnstorableTextException} whose path is the
 * member's JSON path ({@code metadata.notes[2]}), which the problem mapper turns into a 400 naming that field.
 *
 * <p>It works on the token stream, not on deserializers, so no type can bypass it. The document is buffered for the
 * check (request bodies are bounded by {@code quarkus.http.limits.max-body-size}); a document that is not valid JSON
 * is passed on untouched, for the real parser to report as usual.
 */
@Singleton
public class StorableTextJson implements ObjectMapperCustomizer {

    private static final JsonFactory SCANNER = new JsonFactory();

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setInputDecorator(new Check());
    }

    /** Scans a whole document; throws at the first string that cannot be stored. */
    static void scan(JsonParser parser) throws IOException {
        try (parser) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    String reason = StorableText.problem(parser.getText());
                    if (reason != null) {
                        throw located(new UnstorableTextException(reason), parser.getParsingContext());
                    }
                }
            }
        } catch (UnstorableTextException e) {
            throw e;
        } catch (JsonProcessingException notJson) {
            // Not JSON (or truncated): the real parse reports it as malformed, with no help needed from here.
        }
    }

    /** Adds the path of {@code context} (root first) to the exception, member names made printable. */
    private static UnstorableTextException located(UnstorableTextException e, JsonStreamContext context) {
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        // prependPath adds in front, so walk from the innermost level outwards.
        while (!chain.isEmpty()) {
            JsonStreamContext level = chain.removeLast();
            if (level.inArray()) {
                e.prependPath(null, Math.max(level.getCurrentIndex(), 0));
            } else if (level.getCurrentName() != null) {
                e.prependPath(null, StorableText.printable(level.getCurrentName()));
            }
        }
        return e;
    }

    static final class Check extends InputDecorator {
        private static final long serialVersionUID = 1L;

        @Override
        public InputStream decorate(IOContext context, InputStream in) throws IOException {
            byte[] document = in.readAllBytes();
            scan(SCANNER.createParser(document));
            return new ByteArrayInputStream(document);
        }

        @Override
        public InputStream decorate(IOContext context, byte[] source, int offset, int length) throws IOException {
            scan(SCANNER.createParser(source, offset, length));
            return null; // unchanged: parse the original array
        }

        @Override
        public Reader decorate(IOContext context, Reader reader) throws IOException {
            StringBuilder document = new StringBuilder();
            char[] buffer = new char[8192];
            for (int read; (read = reader.read(buffer)) >= 0;) {
                document.append(buffer, 0, read);
            }
            String text = document.toString();
            scan(SCANNER.createParser(text));
            return new StringReader(text);
        }

        @Override
        public DataInput decorate(IOContext context, DataInput input) {
            return input; // not used for request bodies; left unchecked
        }
    }
}
