"""Project options: name (checked as you type), directory, and the rules file's options."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    Switch,
)

from scaffolder.decide.model import MULTI_SEPARATOR, Option, multi_values
from scaffolder.errors import UsageError
from scaffolder.project.naming import check_project_name, package_for
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.screens.dialogs import MessageDialog, non_empty_directory
from scaffolder.tui.state import Nav, WizardState
from scaffolder.tui.widgets import MouseButton, TitleBar


class ProjectName(Validator):
    """The CLI's name check (naming.py), so both say the same thing."""

    def validate(self, value: str) -> ValidationResult:
        problem = check_project_name(value)
        return self.success() if problem is None else self.failure(str(problem))


class FieldInput(Input):
    """An input whose Enter (= next step) shows in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", "Next")]


def home_short(path: Path) -> str:
    """An absolute path, with the home folder as ``~`` (shorter, and the same meaning)."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def option_widget(option: Option, value: str | bool) -> Widget:
    widget_id = f"option-{option.id}"
    if option.type == "bool":
        # The word beside the switch keeps its state readable without colour.
        return Horizontal(
            Switch(bool(value), id=widget_id),
            Static(yes_no(bool(value)), id=f"{widget_id}-state", classes="switch-state"),
            classes="switch-row",
        )
    if option.type == "multi":
        chosen = multi_values(value)
        return SelectionList[str](
            *[(c.label, c.id, c.id in chosen) for c in option.choices],
            id=widget_id,
            classes="multi",
        )
    return Select(
        [(c.label, c.id) for c in option.choices],
        value=str(value),
        allow_blank=False,
        id=widget_id,
    )


class OptionsScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]
    HELP = (
        "Name the project and choose where it goes. The directory may start with ~ or use "
        "$VARIABLES; the line under it shows the folder fwpick will use. Tab moves between "
        "fields; Enter in a field, or Ctrl+N, goes on to the review."
    )

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, step="Project options")
        # The directory follows the name until the user edits it.
        self.dest_follows = state.dest == state.name

    def compose(self) -> ComposeResult:
        state = self.state
        label = state.rules.framework(state.chosen_framework()).label
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="options"):
            yield Static(
                Content.from_markup("Your [b]$label[/] project", label=label), classes="title"
            )
            yield Label("Project name", classes="field-label")
            yield FieldInput(
                state.name,
                id="name",
                validators=[ProjectName()],
                validate_on=["changed", "submitted"],
            )
            yield Static(id="name-status", classes="status")
            yield Label("Directory", classes="field-label")
            yield FieldInput(state.dest, id="dest")
            yield Static(id="dest-status", classes="status")
            for option in state.rules.options:
                yield Label(option.question, classes="field-label")
                yield Static(option.help, classes="field-help", markup=False)
                yield option_widget(option, state.options.get(option.id, option.default))
        with Horizontal(classes="buttons"):
            yield MouseButton("Back", id="back")
            yield MouseButton("Next", id="next", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.show_name_status(self.state.name)
        self.show_dest_status()
        self.show_fitted_defaults()
        self.query_one("#name", Input).focus()

    def show_fitted_defaults(self) -> None:
        """A list option the user has not touched shows what the plan will make of its default.

        With the Dockerfile switched off, the default compose file is not ticked, and it
        comes back when the Dockerfile does.
        """
        state = self.state
        fitted = state.fitted_options()
        for option in state.rules.options:
            if option.type != "multi" or option.id in state.chosen_options:
                continue
            widget = self.query_one(f"#option-{option.id}", SelectionList)
            wanted = multi_values(fitted[option.id])
            if set(widget.selected) != set(wanted):
                # Not the user's doing: the option stays at its default, to be fitted again.
                with self.prevent(SelectionList.SelectedChanged):
                    widget.deselect_all()
                    for value in wanted:
                        widget.select(value)

    def show_dest_status(self) -> None:
        """The directory as fwpick will use it: ``~`` and ``$VARS`` expanded, absolute."""
        text = self.state.dest.strip()
        status = self.query_one("#dest-status", Static)
        status.update(
            Content.from_markup("→ [b]$p[/]", p=home_short(self.state.dest_path.resolve()))
            if text
            else Content("Enter a directory")
        )

    def show_name_status(self, name: str) -> None:
        problem = check_project_name(name)
        status = self.query_one("#name-status", Static)
        status.set_class(problem is not None, "-invalid")
        if problem is None:
            status.update(Content.from_markup("package: [b]$p[/]", p=package_for(name)))
        else:
            status.update(Content(str(problem)))

    @on(Input.Changed, "#name")
    def name_changed(self, event: Input.Changed) -> None:
        self.state.project["name"] = event.value
        self.show_name_status(event.value)
        if self.dest_follows:
            self.state.dest = event.value
            self.query_one("#dest", Input).value = event.value
            self.show_dest_status()

    @on(Input.Changed, "#dest")
    def dest_changed(self, event: Input.Changed) -> None:
        self.state.dest = event.value
        self.state.overwrite = False  # a new directory needs a new answer
        self.dest_follows = event.value == self.state.name
        self.show_dest_status()

    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        if event.select.id and isinstance(event.value, str):
            self.state.set_option(event.select.id.removeprefix("option-"), event.value)
            self.show_fitted_defaults()

    @on(SelectionList.SelectedChanged)
    def selection_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        widget = event.selection_list
        if widget.id:
            option = self.state.rules.option(widget.id.removeprefix("option-"))
            chosen = set(widget.selected)
            self.state.set_option(
                option.id, MULTI_SEPARATOR.join(c for c in option.choice_ids if c in chosen)
            )

    @on(Switch.Changed)
    def switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id:
            self.state.set_option(event.switch.id.removeprefix("option-"), event.value)
            self.query_one(f"#{event.switch.id}-state", Static).update(yes_no(event.value))
            self.show_fitted_defaults()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.action_back()
        else:
            self.action_next()

    def action_next(self) -> None:
        self.check_and_continue()

    @work(exclusive=True, group="options-next")
    async def check_and_continue(self) -> None:
        """Validate like ``fwpick new`` would; each problem is a dialog, not a dead end."""
        from scaffolder.project import render

        state = self.state
        problem = state.name_problem()
        if problem is not None:
            await self.app.push_screen_wait(
                MessageDialog("Invalid project name", problem, id="invalid-name")
            )
            self.query_one("#name", Input).focus()
            return
        if not state.dest.strip():
            await self.app.push_screen_wait(
                MessageDialog("No directory", "Enter the directory to create the project in.")
            )
            self.query_one("#dest", Input).focus()
            return
        try:
            state.plan()  # the rules' constraints, e.g. auth needs a database
        except UsageError as exc:
            await self.app.push_screen_wait(
                MessageDialog("Can't create the project", str(exc), id="usage-error")
            )
            return
        try:
            render.check_destination(state.dest_path, overwrite=state.overwrite)
        except UsageError as exc:
            if not state.dest_path.is_dir():
                await self.app.push_screen_wait(
                    MessageDialog("Can't use this directory", str(exc), id="bad-dest")
                )
                return
            choice = await self.app.push_screen_wait(non_empty_directory(str(exc)))
            if choice != "overwrite":
                self.query_one("#dest", Input).focus()
                return
            state.overwrite = True
        self.done(Nav.NEXT)
