import type { AudienceDeps } from './audience';

/** What the WorkDrive mappers need per request. */
export type WorkDriveDeps = AudienceDeps & {
  /** `options.appBaseUrl`, for "Open …" links. */
  appBaseUrl: string | undefined;
};
