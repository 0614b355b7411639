"""A Puskesmas with two desa and three posyandu, two cadres, a nutrition officer, and a second Puskesmas."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import Educator
from app.models.cohort import Posyandu, Puskesmas
from app.services import cohort


@dataclass
class Places:
    puskesmas: Puskesmas
    melati: Posyandu
    mawar: Posyandu
    anggrek: Posyandu
    other: Posyandu  #: a posyandu of another Puskesmas
    kader1: Educator  #: cadre of Melati and Mawar
    kader2: Educator  #: cadre of Anggrek
    tpg: Educator  #: nutrition officer of the Puskesmas
    admin: Educator
    educator: Educator


@pytest.fixture
def places(app, make_educator) -> Places:
    pkm = cohort.add_puskesmas("Puskesmas Bojong Nangka", "dr. Dian", "Sri Gizi")
    bojong, cikeas = cohort.add_desa(pkm, "Bojong Nangka"), cohort.add_desa(pkm, "Cikeas")
    melati, mawar = cohort.add_posyandu(bojong, "Melati"), cohort.add_posyandu(bojong, "Mawar")
    anggrek = cohort.add_posyandu(cikeas, "Anggrek")
    other_pkm = cohort.add_puskesmas("Puskesmas Lain")
    other = cohort.add_posyandu(cohort.add_desa(other_pkm, "Desa Lain"), "Kenanga")
    kader1 = make_educator("kader1", "rahasia-k1", role="kader", full_name="Kader Siti")
    kader2 = make_educator("kader2", "rahasia-k2", role="kader", full_name="Kader Ani")
    tpg = make_educator("tpg", "rahasia-tp", role="tpg", full_name="Sri Gizi")
    admin = make_educator("admin", "rahasia-ad", role="admin", full_name="Admin")
    educator = make_educator("bidan", "rahasia-123", role="educator")
    cohort.add_member(kader1, posyandu=melati)
    cohort.add_member(kader1, posyandu=mawar)
    cohort.add_member(kader2, posyandu=anggrek)
    cohort.add_member(tpg, puskesmas=pkm)
    db.session.commit()
    return Places(pkm, melati, mawar, anggrek, other, kader1, kader2, tpg, admin, educator)
