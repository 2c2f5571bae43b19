package org.planetarymesh.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The head of one output file of a task: at most {@code maxBytes}, decoded as UTF-8 with malformed bytes
 * replaced, and a marker line when the file was longer.
 */
record CapturedOutput(String text, boolean truncated) {

    static final CapturedOutput NONE = new CapturedOutput("", false);

    static CapturedOutput read(Path file, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, maxBytes));
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // read until the buffer is full or the file ends
            }
            head.flip();
            String text = decode(head);
            if (size <= maxBytes) {
                return new CapturedOutput(text, false);
            }
            return new CapturedOutput(text + marker(size, maxBytes), true);
        } catch (NoSuchFileException e) {
            return NONE;
        }
    }

    static String marker(long size, int kept) {
        return "\n[... output truncated: " + size + " bytes, kept first " + kept + "]";
    }

    private static String decode(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
    }
}
