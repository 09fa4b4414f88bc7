// The little of the `ws` package (a dev dependency without bundled types) the tests use: a loopback
// WebSocket server standing in for the gateway, and the client class graphql-ws is given under Node.
declare module 'ws' {
  interface ServerSocket {
    on(event: 'message', listener: (data: { toString(): string }) => void): void;
    send(data: string): void;
  }
  export class WebSocketServer {
    constructor(options: { host: string; port: number; handleProtocols?: (protocols: Set<string>) => string | false });
    on(event: 'listening', listener: () => void): void;
    on(event: 'connection', listener: (socket: ServerSocket) => void): void;
    address(): { port: number };
    close(): void;
  }
  const WebSocket: unknown;
  export default WebSocket;
}
