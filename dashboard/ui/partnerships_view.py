"""The Partnerships page: the list with its filters; one partnership with its members, outcomes, self-assessments
and history; forms to add and edit; CSV import and export of the one template.

Every write goes through :mod:`dashboard.registry.write` with this session's actor (None: read-only, no edit
controls, and the write functions would refuse anyway). An edit is based on the version the session opened: a save
after someone else's is refused, naming them, with their values beside the ones typed.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from dashboard.analysis.regions import state_names
from dashboard.data.catalogue import CONVENER_KINDS, CUSTOM, MEMBER_KINDS, PHASES
from dashboard.registry import access, csvio, database, history, queries, reference, write
from dashboard.registry.access import WriteRefused
from dashboard.registry.models import NAME_MAX, NOTE_MAX, URL_MAX
from dashboard.registry.validate import EARLIEST, InvalidRecord
from dashboard.report import partnership_outcomes
from dashboard.ui import registry_view, render, state
from dashboard.ui.text import md

FLASH = "registry_flash"
#: How each field is named in messages (the form's labels).
LABELS = {
    "name": "Name",
    "scheme": "Region scheme",
    "region": "Region",
    "counties": "County FIPS codes",
    "region_name": "Name of the custom region",
    "sector": "Partnership sector",
    "phase": "Phase",
    "phase_since": "In this phase since",
    "phase_history": "Phase history",
    "convener": "Convener",
    "convener_kind": "Kind of convener",
    "started_on": "Started on",
    "website": "Web address",
    "notes": "Notes",
    "organisation": "Organisation",
    "seat": "Seat",
    "kind": "Employer or champion",
    "naics": "NAICS code",
    "joined_on": "Joined",
    "left_on": "Left",
    "period": "Period",
    "metric": "Metric",
    "value": "Value",
    "note": "Note",
    "assessed_on": "Assessed on",
}


def problems_text(exc: InvalidRecord) -> str:
    return "Nothing was saved: " + "; ".join(f"{_label(f)}: {m}" for f, m in exc.problems) + "."


def _label(field: str) -> str:
    head, _, tail = field.rpartition(", ")
    return f"{head}, {LABELS.get(tail, tail)}" if head else LABELS.get(field, field)


def _open(partnership: str) -> None:
    """Show one partnership ("": the list), with its share link."""
    state.set_now(partnership=partnership)
    st.rerun()


def _flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(md(message))


def _write(action, success: str, mine: dict | None = None) -> bool:
    """Run a write in one transaction; show why it was refused, if it was (on a conflict, the other person's
    values beside ``mine``, the values the form was saving)."""
    try:
        action()
    except InvalidRecord as exc:
        st.error(md(problems_text(exc)))
    except write.Conflict as exc:
        st.error(md(str(exc)))
        if exc.theirs and mine:
            differ = [
                {
                    "Field": LABELS.get(k, k),
                    "Yours (not saved)": _plain(mine[k]),
                    "Saved by them": _plain(exc.theirs[k]),
                }
                for k in mine
                if k in exc.theirs and _plain(mine[k]) != _plain(exc.theirs[k])
            ]
            if differ:
                st.dataframe(pd.DataFrame(differ), hide_index=True, width="stretch")
    except WriteRefused as exc:
        st.error(md(str(exc)))
    else:
        st.session_state[FLASH] = success
        return True
    return False


def _plain(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)


def page() -> None:
    st.title("Partnerships")
    engine = registry_view.registry()
    if engine is None:
        st.stop()
    who = registry_view.actor(engine)
    _flash()
    wanted = state.view().get("partnership")
    if wanted:
        detail(engine, who, int(wanted))
    else:
        listing(engine, who)


# ---- the list --------------------------------------------------------------------------------------------------


def listing(engine, who: str | None) -> None:
    sectors = reference.sectors()
    with database.session(engine) as s:
        total = queries.count(s)
    if total == 0:
        st.info(
            "No partnership is recorded yet. Record one with the form below (the region is the one chosen in the "
            "sidebar, or a custom set of counties), or import a CSV file laid out as the template (Import and "
            "export, below)."
        )
    else:
        names = state_names()
        view_state = state.view()["state"]
        cols = st.columns(4)
        codes = ["", *sorted(names, key=names.get)]
        pick_state = cols[0].selectbox(
            "State",
            codes,
            index=codes.index(view_state) if view_state in codes else 0,
            format_func=lambda c: names.get(c, "All states"),
            key="w_reg_state",
        )
        pick_sector = cols[1].selectbox(
            "Sector", ["", *sectors], format_func=lambda c: sectors.get(c, "All sectors"), key="w_reg_sector"
        )
        pick_phase = cols[2].selectbox(
            "Phase", ["", *PHASES], format_func=lambda p: p or "All phases", key="w_reg_phase"
        )
        with database.session(engine) as s:
            frame = queries.list_partnerships(
                s, state=pick_state or None, sector=pick_sector or None, phase=pick_phase or None
            )
        regions = ["", *sorted(frame["region_name"].unique())]
        pick_region = cols[3].selectbox("Region", regions, format_func=lambda r: r or "All regions", key="w_reg_region")
        if pick_region:
            frame = frame[frame["region_name"] == pick_region]
        st.caption(md(f"{len(frame):,} of {total:,} recorded partnerships."))
        shown = pd.DataFrame(
            {
                "Partnership": frame["name"],
                "Region": frame["region_name"],
                "Sector": frame["sector"].map(sectors),
                "Phase": frame["phase"],
                "Since": frame["phase_since"],
                "Convener": frame["convener"],
                "Members": frame["members"],
                "Link": [f"?page=partnerships&partnership={i}" for i in frame["id"]],
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={"Link": st.column_config.LinkColumn("Link", display_text="open")},
        )
        if len(frame):
            options = frame["id"].tolist()
            labels = dict(zip(frame["id"], frame["name"] + " (" + frame["region_name"] + ")"))
            chosen = st.selectbox("Open a partnership", options, format_func=labels.get, key="w_reg_open")
            if st.button("Open", key="reg_open"):
                _open(str(chosen))
    add_form(engine, who)
    import_export(engine, who)


def _sector_index(sectors: dict) -> int:
    industry = state.view()["industry"]
    return list(sectors).index(industry) if industry in sectors else 0


def add_form(engine, who: str | None) -> None:
    st.header("Record a partnership", anchor=False)
    if who is None:
        registry_view.read_only_note()
        return
    region = state.current_region()
    if region is not None and who != access.LOCAL:
        with database.session(engine) as s:
            allowed = access.may_write(s, who, {c[:2] for c in region.counties})
        if not allowed:
            st.info(
                md(
                    f"{who} may not record partnerships in {region.name}: an editor of its state or an admin can. "
                    "Choose a region of your state in the sidebar, or a custom set of counties there."
                )
            )
    sectors = reference.sectors()
    where_options = (["sidebar"] if region is not None else []) + ["custom"]
    with st.form("reg_add"):
        name = st.text_input(LABELS["name"], max_chars=NAME_MAX, key="reg_add_name")
        where = st.radio(
            LABELS["region"],
            where_options,
            format_func=lambda k: (
                md(f"{region.name} (the region chosen in the sidebar)")
                if k == "sidebar"
                else "A custom set of counties"
            ),
            key="reg_add_where",
        )
        counties = st.text_input(
            LABELS["counties"] + " (custom set)",
            help="Five-digit county FIPS codes separated by commas, e.g. 21025, 21189",
            key="reg_add_counties",
        )
        region_name = st.text_input(LABELS["region_name"], max_chars=NAME_MAX, key="reg_add_region_name")
        sector = st.selectbox(
            LABELS["sector"], list(sectors), index=_sector_index(sectors), format_func=sectors.get, key="reg_add_sector"
        )
        values = {"name": name, "sector": sector, **_common_fields("reg_add", None)}
        submitted = st.form_submit_button("Record the partnership")
    if not submitted:
        return
    if where == "sidebar" and region is not None:
        if region.scheme == CUSTOM:
            values.update(scheme=CUSTOM, counties=",".join(region.counties), region_name=region.name)
        else:
            values.update(scheme=region.scheme, region=region.id)
    else:
        values.update(scheme=CUSTOM, counties=counties, region_name=region_name)
    created = {}

    def action():
        with database.session(engine) as s:
            created["id"] = write.create_partnership(s, who, values).id

    if _write(action, f"Recorded {values['name'].strip()}."):
        _open(str(created["id"]))


def _common_fields(prefix: str, record) -> dict:
    """The fields the add and edit forms share, drawn with ``record``'s values (None: a new partnership)."""
    today = dt.date.today()
    phase = st.selectbox(
        LABELS["phase"], PHASES, index=PHASES.index(record.phase) if record else 0, key=f"{prefix}_phase"
    )
    since = st.date_input(
        LABELS["phase_since"],
        value=today,
        min_value=EARLIEST,
        max_value=today,
        help="The date the partnership entered this phase (used when the phase changes)",
        key=f"{prefix}_since",
    )
    convener = st.text_input(
        LABELS["convener"], value=record.convener if record else "", max_chars=NAME_MAX, key=f"{prefix}_convener"
    )
    kinds = ["", *CONVENER_KINDS]
    kind = st.selectbox(
        LABELS["convener_kind"],
        kinds,
        index=kinds.index(record.convener_kind) if record and record.convener_kind in kinds else 0,
        format_func=lambda k: CONVENER_KINDS.get(k, "(none)"),
        key=f"{prefix}_kind",
    )
    started = st.date_input(
        LABELS["started_on"],
        value=record.started_on if record else None,
        min_value=EARLIEST,
        max_value=today,
        key=f"{prefix}_started",
    )
    website = st.text_input(
        LABELS["website"], value=record.website if record else "", max_chars=URL_MAX, key=f"{prefix}_website"
    )
    notes = st.text_area(
        LABELS["notes"], value=record.notes if record else "", max_chars=NOTE_MAX, key=f"{prefix}_notes"
    )
    return {
        "phase": phase,
        "phase_since": since,
        "convener": convener,
        "convener_kind": kind,
        "started_on": started,
        "website": website,
        "notes": notes,
    }


def import_export(engine, who: str | None) -> None:
    st.header("Import and export", anchor=False)
    st.caption(
        md(
            "One CSV template holds every record: a row per partnership, member, outcome or self-assessment (the "
            "record column says which), each naming its partnership by name, scheme, region (or counties) and "
            "sector. An import with any bad row writes nothing and names the row (as a spreadsheet numbers it) "
            "and the column."
        )
    )
    cols = st.columns(2)
    with cols[0]:
        render.csv_download("CSV template", csvio.template(), "partnerships_template.csv", "dl_reg_template")
    with cols[1]:
        with database.session(engine) as s:
            frame = csvio.export_frame(s)
        render.csv_download(f"Every record ({len(frame):,} rows, CSV)", frame, "partnerships.csv", "dl_reg_export")
    if who is None:
        return
    upload = st.file_uploader("Import a CSV file", type=["csv"], key="reg_import_file")
    if upload is not None and st.button("Import", key="reg_import"):
        result = {}

        def action():
            frame = csvio.read_csv(upload.getvalue())
            with database.session(engine) as s:
                result.update(csvio.import_frame(s, who, frame))

        try:
            ok = _write(action, "")
        except csvio.ImportRefused as exc:
            st.error(md(f"Nothing was imported from {upload.name}:"))
            st.markdown("\n".join(f"- {md(p)}" for p in exc.problems[:50]))
            if len(exc.problems) > 50:
                st.caption(f"and {len(exc.problems) - 50} more problems")
            return
        if ok:
            st.session_state[FLASH] = "Imported: " + ", ".join(f"{n} {k} record(s)" for k, n in result.items()) + "."
            st.rerun()


# ---- one partnership -------------------------------------------------------------------------------------------


def detail(engine, who: str | None, pid: int) -> None:
    with database.session(engine) as s:
        p = queries.partnership(s, pid)
        log = history.partnership_history(s, pid) if p else []
    if st.button("All partnerships", key="reg_back"):
        _open("")
    if p is None:
        st.warning(
            f"No partnership number {pid} is recorded in this registry (it may have been removed, or the link "
            "comes from another registry)."
        )
        return
    # an editor of another state reads this partnership without edit controls (the writes refuse it anyway)
    who = registry_view.actor(engine, {c.fips[:2] for c in p.counties}) if who else None
    sectors, seat_names = reference.sectors(), reference.seats()
    st.header(md(p.name), anchor=False)
    since = p.phase_history[-1]["on"] if p.phase_history else ""
    lines = [
        f"**Region:** {md(p.region_name)} ({md(p.scheme)}, {len(p.counties)} counties)",
        f"**Sector:** {md(sectors.get(p.sector, p.sector))}",
        f"**Phase:** {md(p.phase)} since {since}",
    ]
    if p.convener:
        lines.append(f"**Convener:** {md(p.convener)} ({md(CONVENER_KINDS.get(p.convener_kind, p.convener_kind))})")
    if p.started_on:
        lines.append(f"**Started:** {p.started_on.isoformat()}")
    if p.website:
        lines.append(f"**Web address:** {md(p.website)}")
    st.markdown("  \n".join(lines))
    if p.notes:
        st.text(p.notes)
    current = [m for m in p.members if m.left_on is None]
    filled = sorted({m.seat for m in current})
    st.caption(
        md(
            f"{len(current)} current members filling {len(filled)} seats. The open seats for this region and "
            "sector are on the Partnership table page (choose this partnership there)."
        )
    )
    tabs = st.tabs(["Members", "Outcomes", "Self-assessments", "Edit", "History"])
    with tabs[0]:
        members_tab(engine, who, p, seat_names)
    with tabs[1]:
        outcomes_tab(engine, who, p)
    with tabs[2]:
        assessments_tab(engine, who, p)
    with tabs[3]:
        edit_tab(engine, who, p)
    with tabs[4]:
        history_tab(log)
        restore_control(engine, who, p, log)


def _records(frame: pd.DataFrame) -> list[dict]:
    """An edited table's rows with blanks as None (the editor gives NaN, NaT or None)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (None if _missing(v) else v) for k, v in row.items()})
    return out


def _missing(v) -> bool:
    if v is None or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def members_tab(engine, who: str | None, p, seat_names: dict) -> None:
    key = f"reg_members_{p.id}"
    if key not in st.session_state or st.session_state[key][0] != p.id:
        frame = pd.DataFrame(
            [
                {
                    "id": m.id,
                    "version": m.version,
                    "organisation": m.organisation,
                    "seat": m.seat,
                    "kind": m.kind,
                    "naics": m.naics,
                    "joined_on": m.joined_on,
                    "left_on": m.left_on,
                }
                for m in p.members
            ],
            columns=["id", "version", "organisation", "seat", "kind", "naics", "joined_on", "left_on"],
        )
        st.session_state[key] = (p.id, frame, st.session_state.get(f"{key}_n", 0) + 1)
        st.session_state[f"{key}_n"] = st.session_state[key][2]
    _, base, stamp = st.session_state[key]
    if base.empty and who is None:
        st.info("No member is recorded yet.")
    edited = st.data_editor(
        base,
        key=f"reg_members_editor_{p.id}_{stamp}",
        num_rows="dynamic" if who else "fixed",
        disabled=who is None,
        hide_index=True,
        width="stretch",
        column_config={
            "id": None,
            "version": None,
            "organisation": st.column_config.TextColumn(LABELS["organisation"], max_chars=NAME_MAX, required=True),
            "seat": st.column_config.SelectboxColumn(
                LABELS["seat"], options=list(seat_names), format_func=seat_names.get, required=True
            ),
            "kind": st.column_config.SelectboxColumn(
                LABELS["kind"], options=list(MEMBER_KINDS), format_func=MEMBER_KINDS.get, required=True
            ),
            "naics": st.column_config.TextColumn(LABELS["naics"], help="An employer's NAICS code (2 to 6 digits)"),
            "joined_on": st.column_config.DateColumn(LABELS["joined_on"]),
            "left_on": st.column_config.DateColumn(LABELS["left_on"]),
        },
    )
    if who is None:
        return
    st.caption("Edit cells, add rows at the foot or delete rows, then save: the table is saved whole, or not at all.")
    if st.button("Save the members table", key=f"reg_members_save_{p.id}"):
        loaded = {int(r.id): int(r.version) for r in base.itertuples()}

        def action():
            with database.session(engine) as s:
                write.save_members(s, who, p.id, _records(edited), loaded)

        if _write(action, "Members saved."):
            del st.session_state[key]
            st.rerun()
    with st.form(f"reg_member_add_{p.id}", clear_on_submit=True):
        st.markdown("**Add a member**")
        organisation = st.text_input(LABELS["organisation"], max_chars=NAME_MAX, key="reg_member_org")
        seat = st.selectbox(LABELS["seat"], list(seat_names), format_func=seat_names.get, key="reg_member_seat")
        kind = st.radio(
            LABELS["kind"], list(MEMBER_KINDS), format_func=MEMBER_KINDS.get, horizontal=True, key="reg_member_kind"
        )
        naics = st.text_input(LABELS["naics"] + " (employers)", max_chars=6, key="reg_member_naics")
        joined = st.date_input(
            LABELS["joined_on"], value=None, min_value=EARLIEST, max_value=dt.date.today(), key="reg_member_joined"
        )
        added = st.form_submit_button("Add the member")
    if added:
        row = {"organisation": organisation, "seat": seat, "kind": kind, "naics": naics, "joined_on": joined}

        def action():
            with database.session(engine) as s:
                write.save_members(s, who, p.id, [row], {})

        if _write(action, f"Added {organisation.strip()}."):
            st.session_state.pop(key, None)
            st.rerun()


def outcomes_tab(engine, who: str | None, p) -> None:
    metrics = reference.metrics()
    frame = partnership_outcomes.outcomes_frame(p.outcomes)
    if frame.empty:
        st.info(
            "No outcome is recorded yet." + (" Add one below, or import them with the CSV template." if who else "")
        )
    else:
        st.altair_chart(partnership_outcomes.outcomes_chart(frame), width="stretch")
        st.dataframe(partnership_outcomes.outcomes_table(frame), hide_index=True, width="stretch")
        st.caption("Figures as the partnership reported them, each with its note on where it came from.")
    if who is None:
        return
    with st.form(f"reg_outcome_add_{p.id}", clear_on_submit=True):
        st.markdown("**Record an outcome**")
        period = st.text_input(LABELS["period"], help="A year (2024) or a quarter (2024-Q2)", key="reg_outcome_period")
        metric = st.selectbox(
            LABELS["metric"],
            list(metrics),
            format_func=lambda m: f"{metrics[m].name} ({metrics[m].unit})",
            key="reg_outcome_metric",
        )
        value = st.text_input(LABELS["value"], key="reg_outcome_value")
        note = st.text_input(
            LABELS["note"], help="Where the figure came from", max_chars=NOTE_MAX, key="reg_outcome_note"
        )
        added = st.form_submit_button("Record the outcome")
    if added:
        row = {"period": period, "metric": metric, "value": value, "note": note}

        def action():
            with database.session(engine) as s:
                write.save_outcomes(s, who, p.id, [row], {})

        if _write(action, "Outcome recorded."):
            st.rerun()


def assessments_tab(engine, who: str | None, p) -> None:
    from dashboard.analysis import self_assessment

    assessment = self_assessment.load_assessment()
    if p.assessments:
        rows = []
        for a in p.assessments:
            score = self_assessment.score_assessment(a.ticked, assessment)
            rows.append(
                {
                    "Assessed on": a.assessed_on.isoformat(),
                    "Items ticked": f"{score['done']} of {score['total']}",
                    "Strongest": score["strongest"],
                    "Weakest": score["weakest"],
                    "Note": a.note,
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info("No self-assessment is recorded yet.")
    if who is None:
        return
    with st.form(f"reg_assess_{p.id}", clear_on_submit=True):
        st.markdown("**Record a self-assessment** (the seven characteristics of a high-performing partnership)")
        ticked = []
        for c in assessment.characteristics:
            st.markdown(f"*{md(c.name)}*")
            for item in c.items:
                if st.checkbox(md(item.text), key=f"reg_assess_item_{item.id}"):
                    ticked.append(item.id)
        when = st.date_input(
            LABELS["assessed_on"],
            value=dt.date.today(),
            min_value=EARLIEST,
            max_value=dt.date.today(),
            key="reg_assess_on",
        )
        note = st.text_input(LABELS["note"], max_chars=NOTE_MAX, key="reg_assess_note")
        added = st.form_submit_button("Record the self-assessment")
    if added:

        def action():
            with database.session(engine) as s:
                write.add_assessment(s, who, p.id, {"assessed_on": when, "ticked": ticked, "note": note})

        if _write(action, "Self-assessment recorded."):
            st.rerun()


def edit_tab(engine, who: str | None, p) -> None:
    if who is None:
        registry_view.read_only_note()
        return
    key = f"reg_loaded_{p.id}"
    # the version this session opened: a save is based on it, whatever others saved since
    st.session_state.setdefault(key, p.version)
    loaded = st.session_state[key]
    if loaded != p.version:
        st.warning(
            "Someone else saved this partnership after you opened it. Your form still shows the values you "
            "opened; reload to see theirs."
        )
        if st.button("Reload the saved values", key=f"reg_reload_{p.id}"):
            st.session_state[key] = p.version
            st.rerun()
    sectors = reference.sectors()
    prefix = f"reg_edit_{p.id}_{loaded}"
    with st.form(f"reg_edit_{p.id}"):
        name = st.text_input(LABELS["name"], value=p.name, max_chars=NAME_MAX, key=f"{prefix}_name")
        sector = st.selectbox(
            LABELS["sector"],
            list(sectors),
            index=list(sectors).index(p.sector) if p.sector in sectors else 0,
            format_func=sectors.get,
            key=f"{prefix}_sector",
        )
        values = {"name": name, "sector": sector, **_common_fields(prefix, p)}
        st.caption(md(f"Region: {p.region_name} (a partnership keeps its region; record a new one for another)."))
        submitted = st.form_submit_button("Save the changes")
    if not submitted:
        return
    typed = dict(values)
    values.update(scheme=p.scheme, region=p.region_id, counties=",".join(c.fips for c in p.counties))
    values["region_name"] = p.region_name
    saved = {}

    def action():
        with database.session(engine) as s:
            saved["changed"] = write.update_partnership(s, who, p.id, loaded, values)
            saved["version"] = s.get(type(p), p.id).version

    if _write(action, "Changes saved.", mine=typed):
        if not saved["changed"]:
            st.session_state[FLASH] = "Nothing had changed: nothing was saved."
        st.session_state[key] = saved["version"]
        st.rerun()


def history_tab(log) -> None:
    if not log:
        st.info("No change is recorded.")
        return
    rows = [
        {
            "When (UTC)": e.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "Who": e.actor,
            "Record": f"{e.record_table} {e.record_id}",
            "Change": e.action,
            "Fields changed": ", ".join(_changed(e.before, e.after)),
        }
        for e in log
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def restore_control(engine, who: str | None, p, log) -> None:
    """An admin (or the local user) gives the partnership back an earlier version's values; the restore is an
    edit like any other: logged, and refused when someone saved the partnership after this page was loaded."""
    if who is None:
        return
    with database.session(engine) as s:
        if not access.is_admin(s, who):
            return
    versions = [e for e in log if e.record_table == "partnership" and e.after and e.after != history.snapshot(p)]
    if not versions:
        return
    labels = {
        e.id: f"As after the {e.action} by {e.actor} at {e.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"
        for e in versions
    }
    st.markdown("**Restore an earlier version**")
    chosen = st.selectbox("Version", list(labels), format_func=lambda k: md(labels[k]), key=f"reg_restore_pick_{p.id}")
    entry = next(e for e in versions if e.id == chosen)
    differ = [
        {"Field": LABELS.get(k, k), "Now": _plain(now), "That version": _plain(entry.after.get(k))}
        for k, now in history.snapshot(p).items()
        if k != "id" and entry.after.get(k) != now
    ]
    st.dataframe(pd.DataFrame(differ), hide_index=True, width="stretch")
    # based on the version this session opened (as the Edit tab's form is): a restore after someone else's save
    # is refused like their edit would be
    loaded = st.session_state.get(f"reg_loaded_{p.id}", p.version)
    if st.button("Restore this version", key=f"reg_restore_{p.id}"):

        def action():
            with database.session(engine) as s:
                write.restore_partnership(s, who, p.id, loaded, chosen)

        if _write(action, "The earlier version is restored (the restore is in the history)."):
            st.session_state.pop(f"reg_loaded_{p.id}", None)
            st.rerun()


def _changed(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and k != "id")
