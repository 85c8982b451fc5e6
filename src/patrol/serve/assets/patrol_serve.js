// The Scenario page's map styles, named in the page's GeoJSON layers
// ({"variable": "patrolServe.gridStyle"}). Tooltips are text nodes: names are never HTML.
window.patrolServe = Object.assign({}, window.patrolServe, {
  gridStyle: function (feature) {
    var p = feature.properties;
    return {color: "#333", weight: 1, fillColor: p.fill, fillOpacity: 0.5, className: p.css};
  },
  pointToLayer: function (feature, latlng) {
    var p = feature.properties;
    return L.circleMarker(latlng, {
      radius: p.radius, color: p.stroke, fillColor: p.fill, fillOpacity: 0.9, weight: 1,
      className: p.css
    });
  },
  bindTip: function (feature, layer) {
    var span = document.createElement("span");
    span.textContent = feature.properties.tip;
    layer.bindTooltip(span);
  }
});
