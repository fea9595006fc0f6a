"""``junit.xml``: thresholds as JUnit test cases, for CI systems that display test reports.

Layout (built with :mod:`xml.etree.ElementTree`)::

    <testsuites name="genesis-load" tests failures skipped errors="0">
      <testsuite name=SCENARIO tests failures skipped errors="0" time=DURATION timestamp=START>
        <testcase classname=SCENARIO name="METRIC: EXPRESSION" time="0">
          <failure type="threshold" message="observed X"/>       (failed thresholds only)
        </testcase>
        <testcase classname=SCENARIO name="thresholds">           (scenario without thresholds)
          <skipped message="no thresholds declared: not judged"/>
        </testcase>
        <testcase classname=SCENARIO name="run: completed as planned">  (aborted/interrupted)
          <failure type="run" message="aborted: ..."/>
        </testcase>

It owns the XML shape only; observed values are formatted by ``verdict.format_observed``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .load import Run
from .verdict import format_observed

__all__ = ["junit_tree", "render_junit"]


def _suite(run: Run) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        name=run.scenario,
        timestamp=run.start,
        time=f"{run.duration_s:.3f}",
        errors="0",
    )
    failures = skipped = 0
    for t in run.thresholds:
        case = ET.SubElement(
            suite, "testcase", classname=run.scenario, name=f"{t.metric}: {t.expression}", time="0"
        )
        if not t.ok:
            failures += 1
            observed = format_observed(run, t)
            failure = ET.SubElement(
                case, "failure", type="threshold", message=f"observed {observed}"
            )
            failure.text = f"{t.metric}: {t.expression} failed, observed {observed}"
    if not run.thresholds:
        skipped += 1
        case = ET.SubElement(suite, "testcase", classname=run.scenario, name="thresholds", time="0")
        ET.SubElement(
            case, "skipped", message="no thresholds declared: scenario not judged (nothing proven)"
        )
    reasons = [f"aborted: {run.aborted}"] if run.aborted else []
    if run.interrupted:
        reasons.append("interrupted")
    if reasons:
        failures += 1
        case = ET.SubElement(
            suite, "testcase", classname=run.scenario, name="run: completed as planned", time="0"
        )
        ET.SubElement(case, "failure", type="run", message="; ".join(reasons))
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    return suite


def junit_tree(runs: Sequence[Run]) -> ET.ElementTree:
    root = ET.Element("testsuites", name="genesis-load")
    for run in runs:
        root.append(_suite(run))
    for attr in ("tests", "failures", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
    root.set("errors", "0")
    return ET.ElementTree(root)


def render_junit(runs: Sequence[Run]) -> str:
    root = junit_tree(runs).getroot()
    assert root is not None
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
