// The segment rule builder: rows of conditions picked from lists (dimension, comparison,
// values), written as the rule's JSON into the form's `rule` field on every change; htmx then
// posts the form for the live count. A rule nested deeper than one level is edited as JSON.
(function () {
  "use strict";

  var WINDOWS = [30, 90, 180, 365];
  var MANY = {"in": true, "not_in": true, "member": true};
  // 渠道 compares only the mobile-banking last-login month, written last_login:YYYY-MM.
  var LOGIN = {"gt": true, "gte": true, "lt": true, "lte": true, "between": true};
  var LOGIN_PREFIX = "last_login:";

  function lastMonth() {
    var now = new Date();
    var back = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    return back.getFullYear() + "-" + String(back.getMonth() + 1).padStart(2, "0");
  }

  function make(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function choices(select, pairs, chosen) {
    select.innerHTML = "";
    pairs.forEach(function (pair) {
      var option = make("option", {value: pair[0]}, pair[1]);
      if (chosen.indexOf(String(pair[0])) >= 0) { option.selected = true; }
      select.appendChild(option);
    });
  }

  function Builder(form, options) {
    this.form = form;
    this.options = {};
    options.forEach(function (d) { this.options[d.code] = d; }, this);
    this.list = options;
    this.box = document.getElementById("conditions");
    this.rule = form.elements.rule;
    this.join = form.elements.join;
  }

  Builder.prototype.add = function (condition, negated) {
    var row = make("div", {"class": "condition d-flex flex-wrap gap-2 align-items-center border rounded p-2"});
    var not = make("select", {"class": "form-select w-auto", "data-part": "not", "aria-label": "满足或不满足"});
    choices(not, [["", "满足"], ["not", "不满足"]], [negated ? "not" : ""]);
    var dim = make("select", {"class": "form-select w-auto", "data-part": "dim", "aria-label": "维度"});
    choices(dim, this.list.map(function (d) { return [d.code, d.name + (d.profiling ? "（画像）" : "")]; }),
            [condition ? condition.dim : this.list[0].code]);
    var op = make("select", {"class": "form-select w-auto", "data-part": "op", "aria-label": "比较方式"});
    var value = make("span", {"class": "d-flex flex-wrap gap-2", "data-part": "value"});
    var remove = make("button", {type: "button", "class": "btn btn-sm btn-outline-danger", "aria-label": "删除条件"}, "删除");
    [not, dim, op, value, remove].forEach(function (node) { row.appendChild(node); });
    this.box.appendChild(row);
    var self = this;
    dim.addEventListener("change", function () { self.fill(row, null); self.write(); });
    op.addEventListener("change", function () { self.values(row, null); self.write(); });
    row.addEventListener("change", function (event) {
      if (event.target !== dim && event.target !== op) { self.write(); }
    });
    remove.addEventListener("click", function () { row.remove(); self.write(); });
    this.fill(row, condition);
  };

  Builder.prototype.fill = function (row, condition) {
    var d = this.options[row.querySelector("[data-part=dim]").value];
    choices(row.querySelector("[data-part=op]"), d.ops, [condition ? condition.op : d.ops[0][0]]);
    this.values(row, condition);
  };

  Builder.prototype.values = function (row, condition) {
    var d = this.options[row.querySelector("[data-part=dim]").value];
    var op = row.querySelector("[data-part=op]").value;
    var box = row.querySelector("[data-part=value]");
    var current = condition ? [].concat(condition.value).map(String) : [];
    box.innerHTML = "";
    var count = op === "between" ? 2 : 1;
    for (var i = 0; i < count; i += 1) { box.appendChild(this.field(d, op, current.slice(i, i + 1), current)); }
    // 渠道's mobile-banking activity is kept by month: 手机银行月活 may name one.
    var mobile = d.input === "channel" && (op === "eq" || op === "in");
    if (d.monthly || mobile) {
      var month = make("input", {type: "month", "class": "form-control w-auto", "data-part": "month", "aria-label": "月份（不填为最新月份）"});
      if (condition && condition.month) { month.value = condition.month; }
      box.appendChild(make("span", {"class": "text-secondary small align-self-center"},
                           mobile ? "手机银行月活的月份（不填为最新）" : "月份（不填为最新）"));
      box.appendChild(month);
    }
  };

  Builder.prototype.field = function (d, op, one, all) {
    if (op === "within_days") {
      var days = make("select", {"class": "form-select w-auto", "data-part": "days", "aria-label": "天数"});
      choices(days, WINDOWS.map(function (n) { return [n, (d.code === "risk" ? n + " 天内到期" : "近 " + n + " 天活跃")]; }), one.length ? one : ["30"]);
      return days;
    }
    if (d.input === "channel" && LOGIN[op]) {
      var login = make("input", {type: "month", "class": "form-control w-auto", "data-part": "login", "aria-label": "最近登录月份"});
      login.value = one.length ? String(one[0]).replace(LOGIN_PREFIX, "") : lastMonth();
      return login;
    }
    if (d.input === "number") {
      return make("input", {type: "number", min: "0", step: "1000", "class": "form-control w-auto", "data-part": "number",
                            "aria-label": "金额（元）", value: one.length ? one[0] : "50000"});
    }
    if (d.input === "level") {
      var level = make("select", {"class": "form-select w-auto", "data-part": "number", "aria-label": "风险等级"});
      choices(level, [1, 2, 3, 4, 5].map(function (n) { return [n, "C" + n]; }), one.length ? one : ["3"]);
      return level;
    }
    var attributes = {"class": "form-select w-auto", "data-part": "choice", "aria-label": "取值"};
    if (MANY[op]) { attributes.multiple = "multiple"; attributes.size = String(Math.min(5, Math.max(2, d.values.length))); }
    var select = make("select", attributes);
    choices(select, d.values, MANY[op] ? all : (one.length ? one : []));
    return select;
  };

  Builder.prototype.read = function (row) {
    var condition = {dim: row.querySelector("[data-part=dim]").value, op: row.querySelector("[data-part=op]").value};
    var days = row.querySelector("[data-part=days]");
    var logins = row.querySelectorAll("[data-part=login]");
    var numbers = row.querySelectorAll("[data-part=number]");
    var choice = row.querySelector("[data-part=choice]");
    var month = row.querySelector("[data-part=month]");
    if (days) { condition.value = Number(days.value); }
    else if (logins.length) {
      var months = [].map.call(logins, function (n) { return LOGIN_PREFIX + n.value; });
      condition.value = condition.op === "between" ? months : months[0];
    }
    else if (numbers.length) {
      var values = [].map.call(numbers, function (n) { return Number(n.value); });
      condition.value = condition.op === "between" ? values : values[0];
    } else if (choice) {
      var picked = [].filter.call(choice.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      condition.value = MANY[condition.op] && (condition.op !== "member" || picked.length > 1) ? picked : (picked[0] || "");
    }
    // 渠道 keeps only mobile banking by month: a month beside a branch would be refused.
    var monthly = !choice || row.querySelector("[data-part=dim]").value !== "channel" ||
      [].concat(condition.value).every(function (v) { return String(v).indexOf("mobile:") === 0; });
    if (month && month.value && monthly) { condition.month = month.value; }
    return row.querySelector("[data-part=not]").value === "not" ? {not: condition} : condition;
  };

  Builder.prototype.write = function () {
    var parts = [].map.call(this.box.querySelectorAll(".condition"), this.read, this);
    var rule = parts.length === 1 ? parts[0] : {};
    if (parts.length !== 1) { rule[this.join.value] = parts; }
    this.rule.value = parts.length ? JSON.stringify(rule) : "";
    if (window.htmx) { window.htmx.trigger(this.form, "rule-changed"); }
  };

  Builder.prototype.load = function (text) {
    var rule;
    try { rule = JSON.parse(text); } catch (error) { return false; }
    var parts = rule.all || rule.any || [rule];
    if (rule.any) { this.join.value = "any"; }
    var flat = parts.every(function (p) { return p.dim || (p.not && p.not.dim); });
    if (!flat) { return false; }
    parts.forEach(function (p) { this.add(p.not || p, Boolean(p.not)); }, this);
    return true;
  };

  function start() {
    var form = document.getElementById("segment-form");
    var source = document.getElementById("segment-options");
    if (!form || !source) { return; }
    var builder = new Builder(form, JSON.parse(source.textContent));
    var initial = JSON.parse(document.getElementById("segment-initial").textContent);
    var text = initial ? JSON.stringify(initial) : "";
    builder.rule.value = text;
    if (!text) { builder.add(null, false); builder.write(); }
    else if (builder.load(text)) { builder.write(); }
    else {  // nested deeper than the rows show: edited as JSON
      document.getElementById("rule-details").open = true;
      if (window.htmx) { window.htmx.trigger(form, "rule-changed"); }
    }
    document.getElementById("add-condition").addEventListener("click", function () { builder.add(null, false); builder.write(); });
    builder.join.addEventListener("change", function () { builder.write(); });
    var typing;
    builder.rule.addEventListener("input", function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () { if (window.htmx) { window.htmx.trigger(form, "rule-changed"); } }, 400);
    });
  }
  document.addEventListener("DOMContentLoaded", start);
}());
