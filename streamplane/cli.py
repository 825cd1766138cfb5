"""The streamplane command line (exit codes are a contract: 0 ok, 1 error, 2 changes, 3 blocked)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pulumi

from .errors import SpecError
from .graph_io import write_output
from .plan import Plan, diff_graphs
from .policy_offline import evaluate_policies, stack_environment
from .policy_report import POLICY_FORMATS, render_policies
from .render import FORMATS, render
from .risks import assess
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


def build_plan(target: Target, base: Target | None) -> Plan:
    loaded = target.load()
    _report_warnings(loaded.warnings)
    head_graph = target.synth(loaded)
    base_graph = base.synth() if base else None
    changes = diff_graphs(base_graph, head_graph)
    assess(changes)
    return Plan(stack=target.stack, base=base.label if base else "empty", changes=changes,
                policies=evaluate_policies(head_graph, stack_environment(target.stacks_dir, target.stack)))


@cli.command()
@stack_option
@spec_option
@click.option("--base-spec", "base_spec", metavar="DIR", multiple=True,
              help="Baseline spec folders (base first). Without a baseline, everything is a create.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan here instead of stdout.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (as terraform plan).")
def plan(stack, spec_dirs, base_spec, fmt, out, detailed_exitcode) -> None:
    """Diff the goal state against a baseline; report actions, changed paths and risks."""
    target = resolve(stack, spec_dirs)
    base = Target(tuple(Path(d) for d in base_spec), target.stack, target.stacks_dir) if base_spec else None
    result = build_plan(target, base)
    write_output(render(result, fmt, color=out is None and fmt == "text" and sys.stdout.isatty()), out)
    if result.blocked:
        sys.exit(EXIT_BLOCKED)
    if detailed_exitcode and result.pending():
        sys.exit(EXIT_CHANGES)


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
