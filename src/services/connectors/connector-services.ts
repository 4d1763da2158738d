import type { WriteBackService } from '../write-back/write-back-service.js';

// The acting connectors as resolvers see them (GatewayContext.connectors): shared by all requests, built once by
// the composition root (src/server/start-clearance.ts). Each member sits behind its own service with I/O handed in.

export interface ConnectorServices {
  readonly writeBack: WriteBackService;
}
