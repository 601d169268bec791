// Draws the report's charts with uPlot: one plot per entry of
// window.jsloadCharts ({id, title, unit, series, data}, data[0] the x values in
// Unix seconds). Each chart's element records how many points it drew
// (data-points) and the body records that drawing finished (data-rendered) and
// how many script errors the page saw (data-script-errors), for the tests.
(function () {
  'use strict';
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2',
    '#ca8a04', '#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];
  var list = document.getElementById('chart-list');
  var plots = [];

  function format(unit) {
    return function (u, v) {
      if (v == null) { return '-'; }
      var digits = unit === 'VUs' || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
      return v.toFixed(digits) + (unit === 'VUs' ? '' : ' ' + unit);
    };
  }

  function countPoints(data) {
    var n = 0;
    for (var i = 0; i < data[0].length; i++) {
      for (var j = 1; j < data.length; j++) {
        if (data[j][i] != null) { n++; break; }
      }
    }
    return n;
  }

  function draw(c) {
    var box = document.createElement('div');
    box.className = 'chart';
    box.dataset.chart = c.id;
    var h = document.createElement('h3');
    h.textContent = c.title;
    box.appendChild(h);
    if (c.omitted) {
      var note = document.createElement('p');
      note.className = 'none';
      note.textContent = c.omitted + ' more left out (see the tables below)';
      box.appendChild(note);
    }
    list.appendChild(box);
    var few = c.data[0].length < 3;
    var series = [{}];
    c.series.forEach(function (label, i) {
      series.push({ label: label, stroke: palette[i % palette.length], width: 1.5,
        value: format(c.unit), points: { show: few } });
    });
    var opts = {
      width: Math.max(box.clientWidth - 8, 320), height: 240, series: series,
      scales: { x: { time: true } },
      axes: [{}, { size: 70, values: function (u, vals) { return vals.map(function (v) { return format(c.unit)(u, v); }); } }],
    };
    var plot = new uPlot(opts, c.data, box);
    plots.push({ plot: plot, box: box });
    box.dataset.points = String(countPoints(c.data));
    box.dataset.rendered = box.querySelector('canvas') ? '1' : '0';
  }

  (window.jsloadCharts || []).forEach(draw);
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p.plot.setSize({ width: Math.max(p.box.clientWidth - 8, 320), height: 240 }); });
  });

  function report() {
    var errors = window.jsloadErrors || [];
    document.body.dataset.scriptErrors = String(errors.length);
    var pre = document.getElementById('script-errors');
    if (errors.length) { pre.textContent = 'script errors:\n' + errors.join('\n'); pre.hidden = false; }
  }
  document.body.dataset.rendered = 'ok';
  report();
  window.addEventListener('error', report);
})();
