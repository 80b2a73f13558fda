/** The cart module's front door: all that other modules may use of it. */
export { CartModule } from './cart.module';
