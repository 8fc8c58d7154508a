// Stacked tables on a phone (table.stack-sm, see app.css): each cell shows its column's name before its
// value. The names come from the table's header row, so a template only adds the class; a cell with its
// own data-label keeps it; a header that is only visually hidden (「操作」 over buttons) and an empty cell
// get no label.
(function () {
  function headerLabels(table) {
    var row = table.tHead && table.tHead.rows[0];
    var labels = [];
    if (!row) return labels;
    Array.prototype.forEach.call(row.cells, function (th) {
      var hidden = th.querySelector(".visually-hidden");
      var text = th.textContent.replace(/\s+/g, " ").trim();
      var label = hidden && hidden.textContent.trim() === text ? "" : text;
      for (var i = 0; i < th.colSpan; i++) labels.push(label);
    });
    return labels;
  }

  function label(table) {
    var labels = headerLabels(table);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var spanned = []; // rows still covered by a rowspan cell above, per column
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          while (spanned[column] > 0) column++;
          var name = cell.colSpan === 1 && cell.textContent.trim() ? labels[column] : "";
          if (name && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
          for (var i = 0; i < cell.colSpan; i++) spanned[column + i] = cell.rowSpan;
          column += cell.colSpan;
        });
        for (var c = 0; c < spanned.length; c++) if (spanned[c] > 0) spanned[c]--;
      });
    });
  }

  document.querySelectorAll("table.stack-sm").forEach(label);
})();
