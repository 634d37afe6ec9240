package troupe.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The ceiling of {@link TransferBench}: the same request/reply exchange as the data plane's ask,
 * over a plain loopback socket with the bytes already serialised. The client keeps {@code
 * inFlight} requests outstanding and sends the next one as each reply arrives, exactly like
 * {@code mapAsync(inFlight, ask)}; a reply is the length-prefixed serialised batch.
 */
final class RawLoopback {
    private static final int STREAM_BUFFER = 1 << 16;

    private RawLoopback() {}

    /** Serves {@code payload} per request on {@code port}, one connection after another, on a daemon thread. */
    static void serve(int port, byte[] payload) throws IOException {
        ServerSocket server = new ServerSocket(port);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        DataOutputStream out = new DataOutputStream(
                                new BufferedOutputStream(s.getOutputStream(), STREAM_BUFFER))) {
                    s.setTcpNoDelay(true);
                    while (true) {
                        in.readInt();
                        out.writeInt(payload.length);
                        out.write(payload);
                        out.flush();
                    }
                } catch (EOFException e) {
                    // the client closed: wait for the next one
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-loopback");
        t.setDaemon(true);
        t.start();
    }

    /** Asks for {@code count} payloads, {@code inFlight} outstanding; returns MB/s received. */
    static double mbPerSecond(int port, int count, int inFlight) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port);
                DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), STREAM_BUFFER));
                DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setTcpNoDelay(true);
            long start = System.nanoTime();
            int sent = 0;
            for (; sent < Math.min(inFlight, count); sent++) {
                out.writeInt(sent);
            }
            long total = 0;
            byte[] buf = new byte[0];
            for (int i = 0; i < count; i++) {
                int n = in.readInt();
                buf = buf.length < n ? new byte[n] : buf;
                in.readFully(buf, 0, n);
                total += n;
                if (sent < count) {
                    out.writeInt(sent++);
                }
            }
            return total / ((System.nanoTime() - start) / 1e9) / 1e6;
        }
    }
}
