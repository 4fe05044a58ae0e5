// The map: MapLibre with no basemap (the footpaths are the map), the coverage layers,
// clicks for what-if, and markers for suggested sites and the largest gaps.

import * as maplibregl from "maplibre-gl";
import {
  type ExpressionSpecification,
  type GeoJSONSource,
  type Map as MapLibreMap,
  type MapMouseEvent,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "maplibre-gl/dist/maplibre-gl.css";
import type { FeatureCollection } from "geojson";
import type { CoverageView, PlanSite } from "../types";
import { colors, tierPalette } from "./colors";
import { addLayers, demandColor, networkColor, TOGGLES, type SourceName } from "./layers";
import type { Requirement } from "../state/requirement";
import type { LayerData } from "./layerdata";

maplibregl.setWorkerUrl(workerUrl);

export interface CenterHit {
  id: string;
  name: string;
  lon: number;
  lat: number;
  added: boolean;
  removed: boolean;
  tier: string;
}

export interface MapCallbacks {
  onPick: (lon: number, lat: number, at: number) => void;
  onCenter: (center: CenterHit, at: number) => void;
  onMoveEnd: () => void;
}

export class MapView {
  readonly map: MapLibreMap;
  readonly ready: Promise<void>;
  private tiers: string[] = [];
  private suggestedMarkers: maplibregl.Marker[] = [];
  private gapMarkers: maplibregl.Marker[] = [];
  private hover: maplibregl.Popup;
  private gapLabelsOn = true;
  private lastGaps: FeatureCollection | null = null;
  private tileUrl = "";
  private candidate: maplibregl.Marker | null = null;
  private unitHover: maplibregl.Popup;
  /** Blob URLs the network and demand sources were given, newest last (see `showBlob`). */
  private blobUrls: string[] = [];
  /** Text of a unit's hover label, from its properties (set by the page). */
  unitLabel: (properties: Record<string, unknown>) => string = (p) => String(p.name ?? p.id);

  constructor(container: HTMLElement, private callbacks: MapCallbacks, view?: { center: [number, number]; zoom: number }) {
    this.map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "background", type: "background", paint: { "background-color": colors.background } }],
      },
      center: view?.center ?? [-4.55, 54.23],
      zoom: view?.zoom ?? 9.5,
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
      maxPitch: 0,
      dragRotate: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
    this.map.addControl(
      new maplibregl.AttributionControl({
        compact: false,
        customAttribution:
          '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap contributors</a>, ODbL 1.0',
      }),
      "bottom-right",
    );
    this.hover = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 10, className: "hover-popup" });
    this.unitHover = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 6, className: "hover-popup unit-popup" });
    this.ready = new Promise((resolve) => {
      this.map.on("load", () => {
        addLayers(this.map, this.tierColor());
        this.bindEvents();
        resolve();
      });
    });
  }

  private bindEvents() {
    const map = this.map;
    map.on("click", (e: MapMouseEvent) => {
      const at = e.originalEvent.timeStamp;
      const box: [[number, number], [number, number]] = [
        [e.point.x - 6, e.point.y - 6],
        [e.point.x + 6, e.point.y + 6],
      ];
      const hit = map.getLayer("centers-circle") ? map.queryRenderedFeatures(box, { layers: ["centers-circle"] }) : [];
      if (hit.length > 0) {
        const p = hit[0].properties as Record<string, unknown>;
        const [lon, lat] = (hit[0].geometry as GeoJSON.Point).coordinates;
        this.callbacks.onCenter(
          {
            id: String(p.id),
            name: String(p.name ?? p.id),
            lon,
            lat,
            added: p.added === true,
            removed: p.removed === true,
            tier: String(p.tier ?? ""),
          },
          at,
        );
        return;
      }
      this.callbacks.onPick(e.lngLat.lng, e.lngLat.lat, at);
    });
    map.on("mouseenter", "centers-circle", (e) => {
      map.getCanvas().style.cursor = "pointer";
      const f = e.features?.[0];
      if (!f) return;
      const p = f.properties as Record<string, unknown>;
      const tier = p.tier ? ` · ${p.tier}` : "";
      this.hover
        .setLngLat((f.geometry as GeoJSON.Point).coordinates as [number, number])
        .setText(`${p.name ?? p.id}${tier}`)
        .addTo(map);
    });
    map.on("mouseleave", "centers-circle", () => {
      map.getCanvas().style.cursor = "";
      this.hover.remove();
    });
    map.on("mousemove", "units-fill", (e) => {
      const f = e.features?.[0];
      if (!f) return;
      this.unitHover.setLngLat(e.lngLat).setText(this.unitLabel(f.properties as Record<string, unknown>)).addTo(map);
    });
    map.on("mouseleave", "units-fill", () => this.unitHover.remove());
    map.on("moveend", () => this.callbacks.onMoveEnd());
  }

  private tierColor(): ExpressionSpecification {
    if (this.tiers.length === 0) return ["literal", tierPalette[0]] as unknown as ExpressionSpecification;
    const match: unknown[] = ["match", ["to-string", ["get", "tier"]]];
    this.tiers.forEach((tier, i) => match.push(tier, tierPalette[i % tierPalette.length]));
    match.push(tierPalette[0]);
    return match as ExpressionSpecification;
  }

  /** Distinct tiers of the current centers with their colours (for the legend). */
  tierLegend(): Array<{ tier: string; color: string }> {
    return this.tiers.map((tier, i) => ({ tier, color: tierPalette[i % tierPalette.length] }));
  }

  private source(name: SourceName): GeoJSONSource {
    return this.map.getSource(name) as GeoJSONSource;
  }

  /** A view, with its network and residents as `data`: those two go to the map as Blob
   * URLs, fetched and parsed in MapLibre's worker rather than on the page's thread. */
  show(view: CoverageView, data: LayerData) {
    const { layers } = view;
    this.showBlob("network", data.network);
    this.showBlob("demand", data.demand);
    this.source("gaps").setData(layers.gaps);
    if (layers.serviceAreas) this.source("serviceAreas").setData(layers.serviceAreas);
    this.source("centers").setData(layers.centers);
    this.map.setPaintProperty("network-line", "line-color", networkColor(view));
    const tiers: string[] = [];
    for (const f of layers.centers.features) {
      const tier = f.properties?.tier;
      if (tier != null && tier !== "" && !f.properties?.added && !tiers.includes(String(tier))) tiers.push(String(tier));
    }
    if (tiers.join("|") !== this.tiers.join("|")) {
      this.tiers = tiers;
      this.map.setPaintProperty("centers-circle", "circle-color", [
        "case",
        ["==", ["get", "removed"], true],
        "#ffffff",
        ["==", ["get", "added"], true],
        colors.added,
        this.tierColor(),
      ]);
    }
    this.lastGaps = layers.gaps;
    this.drawGapLabels();
  }

  private showBlob(name: "network" | "demand", blob: Blob) {
    const url = URL.createObjectURL(blob);
    this.source(name).setData(url);
    this.blobUrls.push(url);
    // The map may still be fetching the previous edit's URLs when a new one comes: free
    // only those two generations back (two sources per generation).
    while (this.blobUrls.length > 4) URL.revokeObjectURL(this.blobUrls.shift()!);
  }

  /** The reporting units, each with the `shown_ratio` to colour it by. */
  showUnits(units: FeatureCollection | null) {
    this.source("units").setData(units ?? { type: "FeatureCollection", features: [] });
  }

  /** Residents coloured as covered for `req` (any center, complete, a tier or a service). */
  setRequirement(req: Requirement) {
    this.map.setPaintProperty("demand-circle", "circle-color", demandColor(req));
  }

  private drawGapLabels() {
    for (const m of this.gapMarkers) m.remove();
    this.gapMarkers = [];
    if (!this.gapLabelsOn || !this.lastGaps) return;
    const top = [...this.lastGaps.features]
      .sort((a, b) => Number(b.properties?.population ?? 0) - Number(a.properties?.population ?? 0))
      .slice(0, 12);
    for (const f of top) {
      const c = f.properties?.centroid as [number, number] | undefined;
      if (!c) continue;
      const el = document.createElement("div");
      el.className = "gap-label";
      el.textContent = Number(f.properties?.population ?? 0).toLocaleString();
      el.title = `#${f.properties?.rank}`;
      this.gapMarkers.push(new maplibregl.Marker({ element: el }).setLngLat(c).addTo(this.map));
    }
  }

  /**
   * The clicked candidate site. A DOM marker, not a map layer: moving it needs no WebGL
   * frame, so the what-if figures show as soon as the engine answers.
   */
  setCandidate(point: [number, number] | null) {
    if (!point) {
      this.candidate?.remove();
      this.candidate = null;
      return;
    }
    if (!this.candidate) {
      const el = document.createElement("div");
      el.className = "candidate-marker";
      this.candidate = new maplibregl.Marker({ element: el });
    }
    this.candidate.setLngLat(point).addTo(this.map);
  }

  setSuggested(sites: PlanSite[], onClick: (site: PlanSite) => void) {
    for (const m of this.suggestedMarkers) m.remove();
    this.suggestedMarkers = sites.map((site) => {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "suggested-marker";
      el.textContent = String(site.rank);
      el.title = `#${site.rank} +${site.gain}`;
      el.dataset.testid = "suggested-marker";
      el.addEventListener("click", (ev) => {
        ev.stopPropagation();
        onClick(site);
      });
      return new maplibregl.Marker({ element: el }).setLngLat(site.lonlat).addTo(this.map);
    });
  }

  showServiceAreas(areas: FeatureCollection) {
    this.source("serviceAreas").setData(areas);
  }

  setVisible(toggle: string, visible: boolean) {
    if (toggle === "gaps") {
      this.gapLabelsOn = visible;
      this.drawGapLabels();
    }
    for (const id of TOGGLES[toggle] ?? []) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
    }
  }

  /** Puts a raster tile layer under everything (empty url removes it). */
  setTiles(url: string) {
    if (url === this.tileUrl) return;
    this.tileUrl = url;
    if (this.map.getLayer("basemap")) this.map.removeLayer("basemap");
    if (this.map.getSource("basemap")) this.map.removeSource("basemap");
    if (!url) return;
    this.map.addSource("basemap", {
      type: "raster",
      tiles: [url],
      tileSize: 256,
      attribution: "Background tiles: see the tile provider's terms",
    });
    this.map.addLayer({ id: "basemap", type: "raster", source: "basemap", paint: { "raster-opacity": 0.55 } }, "service-areas-fill");
  }

  fit(bounds: [number, number, number, number], animate = true) {
    this.map.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: this.padding(), animate, duration: animate ? 600 : 0 },
    );
  }

  /** Room for the legend on the left when it is shown. */
  private padding() {
    const legend = document.getElementById("legend");
    const wide = this.map.getContainer().clientWidth > 900;
    const left = legend && wide && legend.offsetParent !== null ? legend.offsetWidth + 30 : 40;
    return { top: 50, bottom: 40, left, right: 50 };
  }

  flyTo(lonlat: [number, number], zoom = 15) {
    this.map.flyTo({ center: lonlat, zoom: Math.max(zoom, this.map.getZoom()), duration: 800 });
  }

  /** A PNG of the current map, redrawn first so the drawing buffer is complete. */
  async snapshot(): Promise<HTMLCanvasElement> {
    await new Promise<void>((resolve) => {
      this.map.once("render", () => resolve());
      this.map.triggerRepaint();
    });
    return this.map.getCanvas();
  }
}
