/** The analytics module's front door: all that other modules may use of it. */
export { AnalyticsModule } from './analytics.module';
