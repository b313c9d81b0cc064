// dynalite ships no types; the part the devkit uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  type DynaliteOptions = {
    /** ms a table stays CREATING; 0 makes it ACTIVE at once. */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** A folder for LevelDB; in memory when absent. */
    path?: string;
  };
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
