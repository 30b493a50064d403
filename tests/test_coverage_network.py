"""The network method's parts on tiny hand-made networks (EPSG:32650 metres): STRtree snapping and the networkx
search from all targets, with distances in metres and minutes asserted."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from geo import coverage as cov

X0, Y0 = 500000.0, 4120000.0


@pytest.mark.slow
def test_nearest_points_metres_and_lowest_index_on_ties():
    cand = np.array([[X0, Y0], [X0 + 3000, Y0], [X0 + 3000, Y0]])  # rows 1 and 2 coincide
    pts = np.array([[X0 + 400, Y0 + 300], [X0 + 2000, Y0], [X0 + 1500, Y0], [np.nan, Y0]])
    idx, dist = cov.nearest_points(pts, cand)
    assert list(idx) == [0, 1, 0, -1]  # (1500, 0) is 1500 m from rows 0 and 1: the lowest index wins
    assert dist[0] == pytest.approx(500.0)  # 3-4-5 triangle
    assert dist[1] == pytest.approx(1000.0) and dist[2] == pytest.approx(1500.0)
    assert math.isinf(dist[3])
    idx, dist = cov.nearest_points(pts, np.zeros((0, 2)))
    assert list(idx) == [-1] * 4 and np.isinf(dist).all()


def test_nearest_points_skips_candidates_without_coordinates():
    cand = np.array([[np.nan, np.nan], [X0 + 700, Y0]])
    idx, dist = cov.nearest_points(np.array([[X0, Y0]]), cand)
    assert list(idx) == [1] and dist[0] == pytest.approx(700.0)


def _line_graph(*, multi: bool = False) -> nx.Graph:
    """A - B - C along the x axis, 2 km apart; A-B at 60 km/h (2 min), B-C at 30 km/h (4 min)."""
    g: nx.Graph = nx.MultiGraph(crs=cov.METRIC_CRS) if multi else nx.Graph(crs=cov.METRIC_CRS)
    for name, dx in (("A", 0.0), ("B", 2000.0), ("C", 4000.0)):
        g.add_node(name, x=X0 + dx, y=Y0)
    g.add_edge("A", "B", length=2000.0, speed_kph=60.0)
    g.add_edge("B", "C", length=2000.0, speed_kph=30.0)
    return g


def test_snap_legs_seed_the_search_with_their_minutes():
    """Two targets: T0 600 m off C, T1 3 km off A. From B: via C = 4 + 0.6 min, via A = 2 + 3 min -> T0."""
    g = _line_graph()
    a = cov.Assumptions(detour_factor=1.0, road_speed_kmh=60.0)  # 1 km straight = 1 min
    targets = np.array([[X0 + 4000, Y0 + 600], [X0, Y0 - 3000]])
    origins = np.array([[X0 + 2000, Y0 + 800], [X0 - 500, Y0]])  # 800 m off B; 500 m west of A
    minutes, km, which = cov.network_access(g, origins, targets, a)
    assert which[0] == 0 and minutes[0] == pytest.approx(0.8 + 4.0 + 0.6)
    assert km[0] == pytest.approx(0.8 + 2.0 + 0.6)  # metres of snap legs + road, in km
    # from A: via A's own target 3 km + 0.5 km straight = 3.5 min; via C = 0.5 + 2 + 4 + 0.6 = 7.1 min
    assert which[1] == 1 and minutes[1] == pytest.approx(3.5) and km[1] == pytest.approx(3.5)
    ref = nx.multi_source_dijkstra_path_length(g, {"C"}, weight=lambda u, v, d: d["length"] / 1000 / d["speed_kph"] * 60)
    assert ref["B"] == pytest.approx(4.0)


def test_two_targets_on_one_node_keep_the_nearer_and_graph_is_untouched():
    g = _line_graph()
    a = cov.Assumptions(detour_factor=1.0, road_speed_kmh=60.0)
    targets = np.array([[X0 + 4000, Y0 + 900], [X0 + 4000, Y0 + 200]])  # both snap to C
    minutes, km, which = cov.network_access(g, np.array([[X0, Y0]]), targets, a)
    assert which[0] == 1 and minutes[0] == pytest.approx(6.2) and km[0] == pytest.approx(4.2)
    assert set(g.nodes) == {"A", "B", "C"} and g.number_of_edges() == 2  # the virtual source is not left behind


def test_multigraph_takes_the_fastest_parallel_edge_and_its_length():
    g = _line_graph(multi=True)
    g.add_edge("A", "B", length=2500.0, speed_kph=150.0)  # longer but faster: 1 min
    a = cov.Assumptions(detour_factor=1.0, road_speed_kmh=60.0)
    minutes, km, _ = cov.network_access(g, np.array([[X0, Y0]]), np.array([[X0 + 2000, Y0]]), a)
    assert minutes[0] == pytest.approx(1.0) and km[0] == pytest.approx(2.5)


def test_unreachable_component_gives_inf_and_minus_one():
    g = _line_graph()
    g.add_node("Z", x=X0 + 50000, y=Y0)  # isolated
    a = cov.Assumptions()
    minutes, km, which = cov.network_access(g, np.array([[X0 + 50000, Y0 + 10]]), np.array([[X0, Y0]]), a)
    assert math.isinf(minutes[0]) and math.isinf(km[0]) and which[0] == -1
