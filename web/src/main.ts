// Entry point of the lifecircle map viewer.
import "./styles.css";
import { App } from "./app";

const app = new App();
// A handle for tests and for the console: the map, the current view and timings.
(window as unknown as { __lifecircle: unknown }).__lifecircle = {
  app,
  get map() {
    return app.mapView.map;
  },
  get view() {
    return app.view;
  },
  get whatIfLatencies() {
    return app.whatIfLatencies;
  },
  get whatIfEngineMs() {
    return app.whatIfEngineMs;
  },
};
void app.start();
