"""The streamplane command line (exit codes are a contract: 0 ok, 1 error, 2 changes, 3 blocked)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pulumi

from .baselines import EMPTY, Baseline, BaselineError, from_git_ref, from_spec_dirs, from_state_export
from .errors import SpecError
from .graph_io import write_output
from .plan import Plan, make_plan
from .render import FORMATS, render
from .review import ReviewError, read_review
from .synth.graph import dumps
from .targets import Target, resolve

EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_BLOCKED = 0, 1, 2, 3

stack_option = click.option("--stack", "stack", metavar="ENV", help="Use stacks/base + stacks/ENV (default: dev).")
spec_option = click.option("--spec", "spec_dirs", metavar="DIR", multiple=True,
                           help="Spec folders, base first; repeat for overlays. Replaces --stack's folders.")


def _report_warnings(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    counts = {kind: len(objs) for kind, objs in sorted(loaded.spec.objects.items())}
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no objects"
    click.echo(f"{target.label}: valid ({detail}).")


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


def build_plan(target: Target, base: Target | Baseline | None = None) -> Plan:
    """Synthesize the head, diff it against the baseline (default: an empty stack), assess risks.
    A Target baseline (other spec layers, as promotion uses) is synthesized with the current code."""
    loaded = target.load()
    _report_warnings(loaded.warnings)
    head_graph = target.synth(loaded)
    if isinstance(base, Target):
        base_loaded = base.load()
        base = Baseline(base.label, base.synth(base_loaded), base_loaded.spec)
    baseline = base or EMPTY
    return make_plan(target.stack, baseline.label, head_graph, baseline.graph, loaded.spec, baseline.spec)


def _baseline(target: Target, base_ref: str | None, base_spec: tuple[str, ...], state: Path | None) -> Baseline:
    chosen = [name for name, given in (("--base-ref", base_ref), ("--base-spec", base_spec), ("--state", state)) if given]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one baseline, got {' and '.join(chosen)}.")
    if base_ref:
        return from_git_ref(base_ref, target.stack, target.stacks_dir.parent)
    if base_spec:
        return from_spec_dirs(base_spec, target.stack, target.stacks_dir)
    if state:
        return from_state_export(state)
    return EMPTY


def _finish(result: Plan, fmt: str, out: Path | None, detailed_exitcode: bool) -> None:
    write_output(render(result, fmt, color=out is None and fmt == "text" and sys.stdout.isatty()), out)
    if result.blocked:
        sys.exit(EXIT_BLOCKED)
    if detailed_exitcode and result.pending():
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
def plan(stack, spec_dirs, base_ref, base_spec, state, fmt, out, detailed_exitcode) -> None:
    """Diff the goal state against a baseline; report actions, changed paths and risks."""
    target = resolve(stack, spec_dirs)
    baseline = _baseline(target, base_ref, base_spec, state)
    _finish(build_plan(target, baseline), fmt, out, detailed_exitcode)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event-log", "event_log", is_flag=True, default=None,
              help="FILE is an engine event log (newline-delimited JSON). Default: detected.")
@format_option
@out_option
@exitcode_option
def review(file, event_log, fmt, out, detailed_exitcode) -> None:
    """Review a real `pulumi preview --json` output (or an engine event log) like a plan."""
    _finish(read_review(file, event_log), fmt, out, detailed_exitcode)


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
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_ERROR)
    except pulumi.RunError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_ERROR)
    except OSError as err:
        click.echo(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
