declare module 'dynalite' {
  import type { Server } from 'node:http';
  /** dynalite 4: a DynamoDB implementation on LevelDB (in memory without `path`). */
  export default function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    path?: string;
  }): Server;
}
