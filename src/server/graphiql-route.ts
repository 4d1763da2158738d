import type { IncomingMessage, ServerResponse } from 'node:http';

// The GraphiQL IDE (issue 14), served by the gateway itself.
export interface GraphiqlRoute {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}
