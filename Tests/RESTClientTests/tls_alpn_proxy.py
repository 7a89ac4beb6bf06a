"""A TLS front for the REST client tests: terminates TLS, selects an ALPN protocol from a
fixed list (or none), and relays the plaintext to a local port (the simulator, which speaks
both HTTP/1.1 and h2c). Standard library only. Prints its port, then serves until killed.

Usage: tls_alpn_proxy.py CERT KEY TARGET_PORT [ALPN,...]
"""
import socket
import ssl
import sys
import threading


def relay(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, destination):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(connection, context, target_port):
    try:
        tls = context.wrap_socket(connection, server_side=True)
    except (ssl.SSLError, OSError):
        connection.close()
        return
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=relay, args=(upstream, tls), daemon=True).start()
    relay(tls, upstream)


def main():
    cert, key, target_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    alpn = [name for name in (sys.argv[4] if len(sys.argv) > 4 else "").split(",") if name]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if alpn:
        context.set_alpn_protocols(alpn)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, context, target_port), daemon=True).start()


if __name__ == "__main__":
    main()
