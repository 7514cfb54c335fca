// The console's few behaviours, wired by attributes (no inline scripts: the content security
// policy allows only this origin's files):
//   <select data-picker="/console/pick/managers">   a searchable picker fed by a JSON endpoint
//                                                    answering [{"value": ..., "text": ...}]
//   <div class="chart" data-chart="ID">              an ECharts chart whose options are the JSON
//                                                    in <script type="application/json" id="ID">
//   <div class="chart" data-chart data-chart-options="{…}">  the same, options inline (htmx
//                                                    fragments: their scripts are dropped)
//   <form data-confirm="确定要…？">                   asks before submitting
//   <form data-clean>                                leaves its empty fields out of the URL
//   <select data-picker=... data-picker-with="from">  also sends the form's field `from` (as
//                                                    `with`), and forgets its options when
//                                                    that field changes
//   <button data-copy="#id">                         copies the named field's value
(function () {
  "use strict";

  function pickers(root) {
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect || !window.TomSelect) { return; }
      var url = select.getAttribute("data-picker");
      var other = select.getAttribute("data-picker-with");
      var field = other && select.form ? select.form.elements[other] : null;
      var picker = new window.TomSelect(select, {
        valueField: "value", labelField: "text", searchField: ["text"],
        maxOptions: 20, loadThrottle: 250, preload: "focus",
        load: function (query, done) {
          var extra = field ? "&with=" + encodeURIComponent(field.value || "") : "";
          fetch(url + "?q=" + encodeURIComponent(query) + extra, {credentials: "same-origin"})
            .then(function (answer) { return answer.ok ? answer.json() : []; })
            .then(done, function () { done(); });
        },
        render: {
          no_results: function () { return '<div class="no-results">没有找到</div>'; },
          loading: function () { return '<div class="spinner-border spinner-border-sm m-2"></div>'; }
        }
      });
      if (field) {
        field.addEventListener("change", function () {
          picker.clear(); picker.clearOptions(); picker.loadedSearches = {};
          picker.wrapper.classList.remove("preloaded");
        });
      }
    });
  }

  function copies(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.getAttribute("data-copy-wired")) { return; }
      button.setAttribute("data-copy-wired", "1");
      button.addEventListener("click", function () {
        var source = document.querySelector(button.getAttribute("data-copy"));
        if (!source) { return; }
        source.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(source.value); }
        button.textContent = "已复制";
      });
    });
  }

  function charts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      var options = box.getAttribute("data-chart-options") || (source && source.textContent);
      if (!options || box.getAttribute("data-drawn")) { return; }
      var chart = window.echarts.init(box, null, {renderer: "svg"});
      chart.setOption(JSON.parse(options));
      box.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function confirmations(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.getAttribute("data-confirm-wired")) { return; }
      form.setAttribute("data-confirm-wired", "1");
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  function cleanForms(root) {
    root.querySelectorAll("form[data-clean]").forEach(function (form) {
      if (form.getAttribute("data-clean-wired")) { return; }
      form.setAttribute("data-clean-wired", "1");
      form.addEventListener("submit", function () {
        form.querySelectorAll("input[name], select[name]").forEach(function (field) {
          if (field.value === "") { field.disabled = true; }
        });
      });
    });
  }

  // A quick reply picked from a list fills the reply box (data-fill names the box).
  function fills(root) {
    root.querySelectorAll("select[data-fill]").forEach(function (list) {
      if (list.getAttribute("data-fill-wired")) { return; }
      list.setAttribute("data-fill-wired", "1");
      list.addEventListener("change", function () {
        var box = document.getElementById(list.getAttribute("data-fill"));
        if (box && list.value) { box.value = list.value; box.focus(); }
      });
    });
  }

  // The transcript keeps its latest message in view as new ones arrive.
  function transcripts(root) {
    var box = document.getElementById("transcript");
    if (box && (root === document || box.contains(root))) { box.scrollTop = box.scrollHeight; }
  }

  function wire(root) {
    pickers(root); charts(root); confirmations(root); copies(root); cleanForms(root);
    fills(root); transcripts(root);
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (event) { wire(event.target); });
}());
