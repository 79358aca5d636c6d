"""The materials of an event as one reader sees them: per agenda entry and for the event as a
whole, loose ones first, then folders in their order. Pure: built from rows already fetched."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from escape_events.events.when import day_and_clock_text, in_zone_text

from .access import Reader, Verdict, may_open, may_see_folder
from .models import Audience, Folder, Material


@dataclass(frozen=True)
class Shown:
    """A material with what the rule says of it for this reader (held-back ones are listed
    with when they open; the download view says it again at the time it is asked)."""

    material: Material
    verdict: Verdict

    @property
    def audience_label(self) -> str:
        """Who it is for, when not everyone (its folder says its own)."""
        material = self.material
        return "" if material.audience == Audience.EVERYONE else material.get_audience_display()

    @property
    def opens_label(self) -> str:
        """'Tue 5 Mar 14:00 (Europe/Paris)' when it is held back (itself or by its folder) until
        its entry or event starts; a material in a folder shares its folder's entry."""
        material, folder = self.material, self.material.folder
        if not (material.from_start or (folder is not None and folder.from_start)):
            return ""
        when = material.opens_at.astimezone(material.event.zone)
        return in_zone_text(day_and_clock_text(when), when)


@dataclass
class FolderShown:
    folder: Folder
    items: list[Shown] = field(default_factory=list)


@dataclass
class Shelf:
    loose: list[Shown] = field(default_factory=list)
    folders: list[FolderShown] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.loose or any(folder.items for folder in self.folders))

    @property
    def shown(self) -> list[Shown]:
        return [*self.loose, *(item for folder in self.folders for item in folder.items)]


def shelves(
    materials: list[Material], reader: Reader, now: datetime | None
) -> dict[int | None, Shelf]:
    """Shelves by entry id (None: the event's own), with only what the reader may see listed;
    folders come with their materials (`select_related`): an empty folder is not shown.

    `now=None` lists as if every hold were over (a cached page shows when each opens); with a
    time, only what opens by then is kept (a ZIP, the API)."""
    by_key: dict[int | None, Shelf] = defaultdict(Shelf)
    in_folder: dict[int, FolderShown] = {}
    folders = {material.folder_id: material.folder for material in materials if material.folder_id}
    for folder in sorted(folders.values(), key=lambda item: (item.position, item.pk)):
        if may_see_folder(folder, reader):
            in_folder[folder.pk] = FolderShown(folder)
            by_key[folder.entry_id].folders.append(in_folder[folder.pk])
    for material in sorted(materials, key=lambda item: (item.position, item.pk)):
        verdict = may_open(material, reader, now)
        if not verdict.listed or (now is not None and not verdict.allowed):
            continue
        shown = Shown(material, verdict)
        if material.folder_id in in_folder:
            in_folder[material.folder_id].items.append(shown)
        elif material.folder_id is None:
            by_key[material.entry_id].loose.append(shown)
    return dict(by_key)
