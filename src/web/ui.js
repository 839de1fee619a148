// The web UI's behaviour: menus, the search box, selection and refine
// (pprof's REFINE acts on what is selected, else on the search regexp),
// saved configurations, and the flame graph drawn to fit the window.
(function () {
  'use strict';
  var CONFIGS = 'pprof-graph.configs';
  var search = document.getElementById('search');
  var matches = document.getElementById('matches');
  var selected = new Set();
  var items = []; // {el, name}: what the search highlights and clicks select.

  function go(params) {
    var u = new URL(window.location.href);
    u.search = params.toString();
    window.location.href = u.toString();
  }
  function quote(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  function selectionRegex() {
    return Array.from(selected).map(function (n) { return '^' + quote(n) + '$'; }).join('|');
  }
  function matcher() {
    if (!search.value) { return null; }
    try { return new RegExp(search.value); } catch (e) { return null; }
  }
  function highlight() {
    var re = matcher(), n = 0;
    items.forEach(function (it) {
      var hit = !!re && !selected.size && re.test(it.name);
      if (hit) { n++; }
      it.el.classList.toggle('hilite', hit);
      it.el.classList.toggle('selected', selected.has(it.name));
    });
    matches.textContent = re && !selected.size ? n + ' matched' : '';
  }
  function toggle(name) {
    if (selected.has(name)) { selected.delete(name); } else { selected.add(name); }
    search.value = selectionRegex();
    highlight();
  }
  function register(el, name) { items.push({ el: el, name: name }); }

  // Menus open on click and close on a click elsewhere.
  function closeMenus() {
    document.querySelectorAll('.menu.open').forEach(function (m) { m.classList.remove('open'); });
  }
  document.querySelectorAll('.menu > button').forEach(function (b) {
    b.addEventListener('click', function (e) {
      var open = b.parentNode.classList.contains('open');
      closeMenus();
      if (!open) { b.parentNode.classList.add('open'); }
      e.stopPropagation();
    });
  });
  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('.submenu')) { closeMenus(); }
  });

  // REFINE: the selection (or the search regexp) into a URL parameter.
  document.querySelectorAll('[data-refine]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      var p = new URLSearchParams(window.location.search), k = a.dataset.refine;
      if (k === 'reset') {
        a.dataset.params.split(',').forEach(function (x) { p.delete(x); });
      } else {
        var re = selected.size ? selectionRegex() : search.value;
        if (!re) { return; }
        p.set(k, re);
      }
      go(p);
    });
  });
  search.addEventListener('input', function () { selected.clear(); highlight(); });
  // Enter in the search box is REFINE > Focus (its first entry).
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && search.value) {
      document.querySelector('#menu-refine [data-refine]').click();
    }
  });

  // VIEW > Source and Peek show what is selected (or searched for).
  document.querySelectorAll('a[data-view]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      var re = selected.size ? selectionRegex() : search.value;
      if (!re) { return; }
      e.preventDefault();
      var u = new URL(a.href);
      u.searchParams.set(a.dataset.view, re);
      window.location.href = u.toString();
    });
  });

  // CONFIG: named settings (the URL's parameters) kept in this browser.
  function configs() {
    try { return JSON.parse(localStorage.getItem(CONFIGS) || '{}'); } catch (e) { return {}; }
  }
  function listConfigs() {
    var box = document.getElementById('configs');
    if (!box) { return; }
    box.textContent = '';
    var all = configs();
    Object.keys(all).sort().forEach(function (name) {
      var a = document.createElement('a');
      a.href = window.location.pathname + (all[name] ? '?' + all[name] : '');
      a.textContent = name;
      a.className = 'config';
      var del = document.createElement('span');
      del.className = 'del';
      del.textContent = '\u00d7';
      del.title = 'delete';
      del.addEventListener('click', function (e) {
        e.preventDefault(); e.stopPropagation();
        var c = configs(); delete c[name];
        localStorage.setItem(CONFIGS, JSON.stringify(c));
        listConfigs();
      });
      a.appendChild(del);
      box.appendChild(a);
    });
  }
  var save = document.getElementById('config-save');
  if (save) {
    save.addEventListener('click', function (e) {
      e.preventDefault();
      var name = document.getElementById('config-name').value.trim();
      if (!name) { return; }
      var c = configs();
      c[name] = window.location.search.replace(/^\?/, '');
      localStorage.setItem(CONFIGS, JSON.stringify(c));
      listConfigs();
    });
  }
  listConfigs();

  // Graph: function nodes select on click (not the tag boxes, not the
  // legend); a drag, even one that starts on a node, only pans.
  var graph = document.getElementById('graph');
  if (graph) {
    var down = null;
    graph.addEventListener('mousedown', function (e) { down = { x: e.clientX, y: e.clientY }; });
    graph.querySelectorAll('g.node').forEach(function (n) {
      if (!/^node\d+$/.test(n.id)) { return; }
      var a = n.querySelector('a');
      var tip = a ? (a.getAttribute('xlink:title') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'title') || '') : '';
      var name = tip.replace(/ \([^()]*\)$/, '');
      n.style.cursor = 'pointer';
      register(n, name);
      n.addEventListener('click', function (e) {
        e.preventDefault();
        if (down && Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y) > 4) { return; }
        toggle(name);
      });
    });
  }

  // Top: rows select on click; the header sorts.
  var top = document.getElementById('top');
  if (top) {
    Array.prototype.forEach.call(top.tBodies[0].rows, function (r) {
      var name = r.dataset.name;
      register(r, name);
      r.addEventListener('click', function () { toggle(name); });
    });
    top.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var rows = Array.prototype.slice.call(top.tBodies[0].rows);
        // Numbers sort largest first on the first click, names A to Z.
        var numeric = top.tBodies[0].rows[0] && top.tBodies[0].rows[0].cells[col].dataset.v !== undefined;
        var asc = th.dataset.asc ? th.dataset.asc !== '1' : !numeric;
        th.dataset.asc = asc ? '1' : '0';
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
          var r = (x !== undefined) ? (parseFloat(x) - parseFloat(y)) : a.cells[col].textContent.localeCompare(b.cells[col].textContent);
          return asc ? r : -r;
        });
        rows.forEach(function (r) { top.tBodies[0].appendChild(r); });
      });
    });
  }

  // Flame graph: as wide as the window; a click zooms to a frame (and
  // selects it), a click on a frame above the zoomed one zooms out.
  var flame = document.getElementById('flame');
  if (flame) {
    var data = JSON.parse(document.getElementById('flame-data').textContent);
    var frames = data.frames, parent = [-1], ROW = 18, zoomed = 0;
    frames.forEach(function (f, i) { f.c.forEach(function (k) { parent[k] = i; }); });
    var total = frames[0].v || 1;
    var draw = function () {
      flame.textContent = '';
      items = items.filter(function (it) { return !it.flame; });
      var width = flame.clientWidth, depth = 0, path = [];
      for (var p = zoomed; p >= 0; p = parent[p]) { path.unshift(p); }
      var scale = width / (frames[zoomed].v || 1), maxDepth = 0;
      function box(i, x, w, d) {
        var f = frames[i], el = document.createElement('div');
        el.className = 'frame';
        el.style.left = x + 'px'; el.style.width = w + 'px'; el.style.top = (d * ROW) + 'px';
        el.style.background = data.diff ? 'rgb(225,225,225)' : (i === 0 ? 'rgb(220,220,220)' : f.color);
        el.title = f.n + ' (' + f.l + (data.diff ? '' : ', ' + (f.v * 100 / total).toFixed(2) + '%') + ')';
        if (data.diff) {
          var delta = f.a - f.b, bar = document.createElement('div');
          bar.className = 'change';
          bar.style.width = Math.min(w, Math.abs(delta) * scale) + 'px';
          bar.style.background = delta < 0 ? data.shrink : data.grow;
          el.appendChild(bar);
        }
        var label = document.createElement('span');
        label.textContent = f.n;
        el.appendChild(label);
        el.addEventListener('click', function () {
          zoomed = i; selected.clear(); selected.add(f.n); search.value = selectionRegex(); draw();
        });
        flame.appendChild(el);
        items.push({ el: el, name: f.n, flame: true });
        maxDepth = Math.max(maxDepth, d);
      }
      path.forEach(function (i, d) { box(i, 0, width, d); depth = d; });
      var stack = [[zoomed, 0, depth]];
      while (stack.length) {
        var top = stack.pop(), f = frames[top[0]], x = top[1];
        if (top[0] !== zoomed) { box(top[0], x, f.v * scale, top[2]); }
        f.c.forEach(function (k) {
          var w = frames[k].v * scale;
          if (w >= 0.5) { stack.push([k, x, top[2] + 1]); }
          x += w;
        });
      }
      flame.style.height = ((maxDepth + 1) * ROW + 4) + 'px';
      highlight();
    };
    draw();
    window.addEventListener('resize', draw);
  }
  highlight();
})();
