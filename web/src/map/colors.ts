// The viewer's palette, shared by map layers, legend and chart.
export const colors = {
  background: "#eef0ec",
  covered: "#0e9f6e",
  near: "#f0a030",
  beyond: "#d9434b",
  noPath: "#9aa1ab",
  residentCovered: "#0b8a60",
  residentUncovered: "#d9434b",
  residentUnreachable: "#6b7280",
  gapFill: "#ff5a5f",
  gapLine: "#c81e3a",
  serviceArea: "#3b82f6",
  added: "#7c3aed",
  candidate: "#111827",
  removed: "#9ca3af",
  suggested: "#1d4ed8",
  unitLine: "#4b5563",
  unitEmpty: "#d1d5db",
};

/** Reporting units by coverage ratio: stops of the choropleth, worst to best. */
export const unitRamp: Array<[number, string]> = [
  [0, "#b2182b"],
  [0.5, "#f4a259"],
  [0.8, "#a6d96a"],
  [1, "#1a9850"],
];

/** Footpaths by life circle when circles are compared: the nearest circle darkest. */
export const bandPalette = ["#056b47", "#1fa56b", "#8fd19e", "#c7e9b4"];

/** Colours for center tiers, in order of first appearance. */
export const tierPalette = ["#1f6feb", "#e0710f", "#0f766e", "#b4237b", "#6b7f1a", "#7c5b2e"];
