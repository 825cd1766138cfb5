"""The streamplane command line (exit codes are a contract: 0 ok, 1 error, 2 changes, 3 blocked)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import click
import pulumi
from rich.console import Console

from . import PROJECT
from .baselines import EMPTY, Baseline, BaselineError, from_git_ref, from_spec_dirs, from_state_export
from .baselines.gitref import cached_at_ref
from .checks import require_valid
from .drift import MODES as DRIFT_MODES
from .drift import DriftUnavailable, detect
from .errors import Problem, SpecError
from .graph_io import write_output
from .kafka.checks.connectivity import edge_report
from .paths import display_path, project_root
from .plan.model import Plan
from .plan.pipeline import make_plan
from .policy_offline import evaluate_policies, stack_environment
from .policy_report import POLICY_FORMATS, render_policies
from .promote import Promotion, PromotionError, compute, dirty_files, render_diff, render_table, write_all
from .promote.engine import merged
from .promote.write import PromotionInterrupted, recover
from .render import FORMATS, render
from .review import ReviewError, read_review
from .review.against import disagreements, read_offline_plan, render_disagreements
from .routing.topology import topology as route_topology
from .shard_plan import plan_environment, render_environment
from .spec.kinds import KINDS
from .spec.loader import stack_layers
from .stackconfig import load_stack_settings
from .synth.graph import dumps
from .synth.workers import WORKERS_ENV, head_and_base_workers, worker_count
from .targets import Target, resolve
from .touched import touched_stacks

EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_BLOCKED = 0, 1, 2, 3

stack_option = click.option("--stack", "stack", metavar="ENV", help="Use stacks/base + stacks/ENV (default: dev).")
spec_option = click.option("--spec", "spec_dirs", metavar="DIR", multiple=True,
                           help="Spec folders, base first; repeat for overlays. Replaces --stack's folders.")


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


PROGRESS_DELAY_S = 1.0
"""A step shows a spinner on stderr only once it has run this long (short steps stay silent)."""


def progress_enabled() -> bool:
    """Progress only on an interactive stderr: never in CI logs, pipes or files, nor on TERM=dumb."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A transient rich status line on stderr while a slow step runs (stdout stays the plan alone)."""
    if not progress_enabled():
        yield
        return
    status = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR"))).status(f"{message}…")
    timer = threading.Timer(PROGRESS_DELAY_S, status.start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        status.stop()


def _report_warnings(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="streamplane", prog_name="streamplane")
def cli() -> None:
    """Declarative control plane for a Keystone-style streaming platform, on Pulumi."""


@cli.command()
@stack_option
@spec_option
def validate(stack, spec_dirs) -> None:
    """Check specs against the schemas and each other; print every problem with file:line:col."""
    target = resolve(stack, spec_dirs)
    loaded = target.load()
    _report_warnings(loaded.warnings)
    _report_warnings(require_valid(loaded.spec, load_stack_settings(target.stacks_dir, target.stack)))
    counts = {kind: len(objs) for kind, objs in sorted(loaded.spec.objects.items())}
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no objects"
    click.echo(f"{target.label}: valid ({detail}).")


@cli.command()
@stack_option
@spec_option
def topology(stack, spec_dirs) -> None:
    """Print the route graph (stream -> route -> sink) as JSON: nodes and edges, and every Kafka client
    edge with its auth (principal, credential, ACLs, listener), from the specs alone."""
    target = resolve(stack, spec_dirs)
    loaded = target.load()
    _report_warnings(loaded.warnings)
    graph = {**route_topology(loaded.spec).as_dict(),
             "clients": edge_report(loaded.spec, load_stack_settings(target.stacks_dir, target.stack))}
    write_output(json.dumps(graph, indent=2) + "\n", None)


@cli.command()
@stack_option
@spec_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the graph here instead of stdout.")
def synth(stack, spec_dirs, out) -> None:
    """Run the Pulumi program under the mock runtime; print the resource graph as JSON."""
    target = resolve(stack, spec_dirs)
    loaded = target.load()
    _report_warnings(loaded.warnings)
    write_output(dumps(target.synth(loaded)), out)


def build_plan(target: Target, base: Target | Baseline | Future[Baseline] | None = None,
               workers: int | None = None) -> Plan:
    """Synthesize the head, diff it against the baseline (default: an empty stack), assess risks.
    A Target baseline (other spec layers, as promotion uses) is synthesized with the current code;
    a Future one (`--base-ref`, built on another thread) is awaited once the head is synthesized.
    `workers`: how many worker processes the head's synth may use (a large stack's partitions)."""
    loaded = target.load()
    _report_warnings(loaded.warnings)
    with progress(f"synthesizing stack {target.stack} ({target.label})"):
        head_graph = target.synth(loaded, workers)
    if isinstance(base, Future):
        with progress("synthesizing the base commit in a git worktree"):
            base = base.result()
    if isinstance(base, Target):
        base_loaded = base.load()
        with progress(f"synthesizing the baseline ({base.label})"):
            base = Baseline(base.label, base.synth(base_loaded, workers), base_loaded.spec)
    baseline = base or EMPTY
    with progress("diffing, assessing risks, running the policy pack"):
        result = make_plan(target.stack, baseline.label, head_graph, baseline.graph, loaded.spec, baseline.spec)
        result.policies = evaluate_policies(head_graph, stack_environment(target.stacks_dir, target.stack))
    result.head = target.label
    return result


def _baseline(target: Target, base_ref: str | None, base_spec: tuple[str, ...], state: Path | None) -> Baseline:
    chosen = [name for name, given in (("--base-ref", base_ref), ("--base-spec", base_spec), ("--state", state)) if given not in (None, ())]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one baseline, got {' and '.join(chosen)}.")
    if base_ref is not None:
        return from_git_ref(base_ref, target.stack, target.stacks_dir.parent)
    if base_spec:
        return from_spec_dirs(base_spec, target.stack, target.stacks_dir)
    if state:
        return from_state_export(state, target.stack)
    return EMPTY


def _finish(result: Plan, fmt: str, out: Path | None, detailed_exitcode: bool) -> None:
    write_output(render(result, fmt, color=out is None and fmt == "text" and use_color()), out)
    if result.blocked:
        sys.exit(EXIT_BLOCKED)
    if detailed_exitcode and result.reviewable():
        sys.exit(EXIT_CHANGES)


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan here instead of stdout.")
exitcode_option = click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (as terraform plan).")


@cli.command()
@stack_option
@spec_option
@click.option("--base-ref", "base_ref", metavar="GITREF",
              help="Baseline: that commit's specs, synthesized by that commit's own code.")
@click.option("--base-spec", "base_spec", metavar="DIR", multiple=True,
              help="Baseline spec folders (base first). Without a baseline, everything is a create.")
@click.option("--state", "state", metavar="EXPORT.json", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Baseline: a `pulumi stack export` (deployment v3); resources matched by URN.")
@format_option
@out_option
@exitcode_option
@click.option("--workers", "workers", type=click.IntRange(min=1), metavar="N",
              help=f"Worker processes for synthesis (head and base side by side, a large stack's partitions, "
                   f"a sharded environment's stacks). Default: ${WORKERS_ENV}, else one per core.")
def plan(stack, spec_dirs, base_ref, base_spec, state, fmt, out, detailed_exitcode, workers) -> None:
    """Diff the goal state against a baseline; report actions, changed paths and risks."""
    target = resolve(stack, spec_dirs)
    workers = worker_count(workers)
    if target.shard is not None and target.shard.is_platform and not base_spec and not state:
        # A sharded environment: its touched stacks, a section each (streamplane/shard_plan.py).
        environment = plan_environment(target, base_ref, workers)
        write_output(render_environment(environment, fmt, color=out is None and fmt == "text" and use_color()), out)
        if environment.blocked:
            sys.exit(EXIT_BLOCKED)
        if detailed_exitcode and environment.pending():
            sys.exit(EXIT_CHANGES)
        return
    if base_ref is not None and not base_spec and not state:
        # The base commit synthesizes in its own subprocess (its own code) while the head synthesizes
        # here: the cores are shared between them (synth.workers.head_and_base_workers).
        root = target.stacks_dir.parent
        head_workers, base_workers = head_and_base_workers(workers, not cached_at_ref(base_ref, [target.stack], root))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="streamplane-base") as pool:
            pending = pool.submit(from_git_ref, base_ref, target.stack, root, base_workers)
            result = build_plan(target, pending, head_workers)
        _finish(result, fmt, out, detailed_exitcode)
        return
    baseline = _baseline(target, base_ref, base_spec, state)
    _finish(build_plan(target, baseline, workers), fmt, out, detailed_exitcode)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event-log", "event_log", is_flag=True, default=None,
              help="FILE is an engine event log (newline-delimited JSON). Default: detected.")
@click.option("--against", "against", metavar="PLAN.json", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also list every resource where the engine and this offline plan (plan --format json) disagree; "
                   "any disagreement exits 3.")
@format_option
@out_option
@exitcode_option
def review(file, event_log, against, fmt, out, detailed_exitcode) -> None:
    """Review a real `pulumi preview --json` output (or an engine event log) like a plan."""
    result = read_review(file, event_log, project=PROJECT)
    if against is None:
        _finish(result, fmt, out, detailed_exitcode)
        return
    found = disagreements(result, read_offline_plan(against))
    text = render(result, fmt, color=out is None and fmt == "text" and use_color())
    if fmt == "json":
        document = json.loads(text)
        document["disagreements"] = [d.to_json() for d in found]
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    else:
        text += "\n" + render_disagreements(found, fmt, display_path(against))
    write_output(text, out)
    if result.blocked or found:
        sys.exit(EXIT_BLOCKED)
    if detailed_exitcode and result.reviewable():
        sys.exit(EXIT_CHANGES)


def _promotion_plan(promotion: Promotion) -> Plan | None:
    """TO's plan after the promotion against TO as it is, or None when TO uses kinds this build
    does not know (promotion edits YAML; only known kinds can be validated and synthesized)."""
    stacks_dir = promotion.stacks_dir
    before = Target(tuple(stack_layers(stacks_dir, promotion.target)), promotion.target, stacks_dir)
    kinds = {kind for kind, _ in merged(stacks_dir, promotion.target)} | {obj.kind for obj in promotion.added}
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        click.echo(f"note: no plan: {promotion.target} uses kinds this build does not know ({', '.join(unknown)}); "
                   "the edits were checked as YAML only.", err=True)
        return None
    before.load()  # TO as it is must be valid first: its errors are not the promotion's
    with tempfile.TemporaryDirectory(prefix="streamplane-promote-") as tmp:
        staged = Path(tmp) / promotion.target
        shutil.copytree(before.layers[1], staged)
        for path, text in promotion.files.items():
            copy = staged / path.resolve().relative_to(before.layers[1].resolve())
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
        after = Target((before.layers[0], staged), promotion.target, stacks_dir)
        try:
            result = build_plan(after, before)
            result.head = f"{before.label} with the promotion"  # not the temporary copy it was planned from
            return result
        except SpecError as err:
            raise SpecError([_relocated(p, staged, before.layers[1]) for p in err.problems]) from None


def _relocated(problem: Problem, staged: Path, real: Path) -> Problem:
    """A problem found in the staged copy of TO, pointing at the real file it will be written to."""
    if problem.location is None:
        return problem
    staged_prefix, real_prefix = display_path(staged), display_path(real)
    file = problem.location.file
    if file.startswith(staged_prefix):
        file = real_prefix + file[len(staged_prefix):]
    return Problem(type(problem.location)(file, problem.location.line, problem.location.col),
                   problem.pointer, f"(after promotion) {problem.message}", problem.level)


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--only", "only", metavar="NAME", multiple=True,
              help="Promote only these objects (repeat, or comma-separate). Default: everything promotable.")
@click.option("--dry-run", is_flag=True, help="Print the plan and the table; write nothing.")
def promote(source, target, only, dry_run) -> None:
    """Carry FROM's images and versions (and objects it adds) into TO's spec, as a reviewable edit.

    Only promotable fields change (docs/promotion.md); comments and formatting are kept; every file
    is written or none; files with uncommitted changes are refused.
    """
    root = project_root()
    try:
        recovered = recover(root / "stacks")  # a crash's leftovers first: all old or all new again
        if recovered:
            click.echo(f"note: {recovered}", err=True)
        promotion = compute(root / "stacks", source, target, only)
        if promotion.empty:
            click.echo(render_table(promotion, color=use_color()), nl=False)
            click.echo(f"Nothing to promote: {target} already runs what {source} runs.")
            return
        if not dry_run:
            dirty = dirty_files(list(promotion.files), root)
            if dirty:
                raise PromotionError("refusing to overwrite files with uncommitted changes: "
                                     f"{', '.join(dirty)}. Commit or stash them, then promote again.")
        result = _promotion_plan(promotion)
        if result is not None:
            click.echo(f"Plan of {target} after promotion:")
            click.echo(render(result, "text", color=use_color()), nl=False)
            click.echo("")
        click.echo(render_table(promotion, color=use_color()), nl=False)
        for kind, name in promotion.kept:
            click.echo(f"note: {kind} {name} exists in {target} but not in {source}; promotion never removes objects.")
        if result is not None and result.blocked:
            click.echo(f"error: promotion refused: the plan of {target} after promotion is blocked (a block risk or a "
                       "mandatory policy violation, above); nothing was written.", err=True)
            sys.exit(EXIT_BLOCKED)
        files = ", ".join(display_path(p) for p in sorted(promotion.files))
        if dry_run:
            click.echo("")
            click.echo(render_diff(promotion), nl=False)
            click.echo(f"Dry run: {len(promotion.files)} file(s) would change ({files}); nothing was written.")
            return
        write_all(promotion.files, root / "stacks")
    except PromotionError as err:
        raise click.ClickException(str(err)) from None
    except PromotionInterrupted:
        click.echo("interrupted after the last rename: every file has its new text; the promotion is complete.", err=True)
        sys.exit(130)
    for path in promotion.files:
        click.echo(f"wrote {display_path(path)}")


@cli.command()
@click.option("--stack", "stack", metavar="ENV", required=True, help="The Pulumi stack to check (dev, staging, prod).")
@click.option("--mode", type=click.Choice(DRIFT_MODES), default="heal", show_default=True,
              help="heal: what `pulumi up --refresh` would change (preview --refresh); state: how the recorded "
                   "state differs from the cloud (refresh --preview-only).")
@click.option("--policy-pack", "policy_packs", metavar="DIR", multiple=True, help="Run this policy pack (heal mode).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
def drift(stack, mode, policy_packs, fmt, out) -> None:
    """Check a deployed stack for drift without changing anything; exit 2 on drift, 3 if healing it is blocked.

    Needs the pulumi CLI and the stack's backend and cloud credentials.
    """
    try:
        result = detect(stack, project_root(), mode=mode, policy_packs=policy_packs)
    except DriftUnavailable as err:
        raise click.ClickException(str(err)) from None
    write_output(render(result, fmt, color=out is None and fmt == "text" and use_color()), out)
    if result.pending():
        sys.exit(EXIT_BLOCKED if result.blocked else EXIT_CHANGES)


@cli.command()
@stack_option
@spec_option
@click.option("--format", "fmt", type=click.Choice(POLICY_FORMATS), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
def policy(stack, spec_dirs, fmt, out) -> None:
    """Run the policy pack (policies/) offline on the stack's synth graph; exit 3 on a mandatory violation."""
    target = resolve(stack, spec_dirs)
    loaded = target.load()
    _report_warnings(loaded.warnings)
    environment = stack_environment(target.stacks_dir, target.stack)
    violations = evaluate_policies(target.synth(loaded), environment)
    write_output(render_policies(target.stack, environment, violations, fmt), out)
    if any(v.enforcement == "mandatory" for v in violations):
        sys.exit(EXIT_BLOCKED)


@cli.command()
@click.option("--base-ref", "base_ref", required=True, metavar="GITREF", help="The commit to compare with, e.g. origin/main.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def touched(base_ref, fmt) -> None:
    """List the stacks whose inputs differ from GITREF's (what a pull request previews for real)."""
    found = touched_stacks(project_root(), base_ref)
    stacks = [stack for environment in found for stack in environment.touched]
    if fmt == "json":
        click.echo(json.dumps({"stacks": stacks, "environments": {
            e.environment: {"touched": e.touched, "unchanged": e.unchanged} for e in found}}, indent=2))
        return
    for stack in stacks:
        click.echo(stack)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user mistakes print a message and exit 1, never a traceback."""
    try:
        cli.main(args=argv, prog_name="streamplane", standalone_mode=False)
    except SpecError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        errors = sum(1 for p in err.problems if p.level == "error")
        click.echo(f"{errors} error(s); nothing was written.", err=True)
        sys.exit(EXIT_ERROR)
    except (BaselineError, ReviewError) as err:
        click.echo(f"{ERROR_PREFIX} {err}", err=True)
        sys.exit(EXIT_ERROR)
    except pulumi.RunError as err:
        click.echo(f"{ERROR_PREFIX} {err}", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as err:
        click.echo(click_error_text(err), err=True)
        sys.exit(EXIT_ERROR)
    except OSError as err:
        click.echo(f"{ERROR_PREFIX} {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as err:  # the last resort: a bug, never a traceback in a user's terminal
        click.echo(internal_error_line(err), err=True)
        sys.exit(EXIT_ERROR)


ERROR_PREFIX = "error:"
"""How every CLI error line starts (spec problems keep their FILE:LINE:COL form, the contract)."""
INTERNAL_ERROR_PREFIX = "internal error (a streamplane bug, please report it):"


def click_error_text(err: click.ClickException) -> str:
    """A click error in the CLI's own style; a usage error names the help to read."""
    text = f"{ERROR_PREFIX} {err.format_message()}"
    if isinstance(err, click.UsageError) and err.ctx is not None:
        text += f"\nRun `{err.ctx.command_path} --help` for usage."
    return text


def internal_error_line(err: BaseException) -> str:
    """One line naming an unexpected exception; control characters in its text are escaped."""
    text = str(err).encode("unicode_escape").decode("ascii")[:200]
    return f"{INTERNAL_ERROR_PREFIX} {type(err).__name__}: {text}".rstrip(": ")


if __name__ == "__main__":
    main()
