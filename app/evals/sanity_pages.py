"""The sanity set's pages and queries: public-domain texts and public facts.

Each page has a heading, a passage, and a table or a figure (`figure` picks its kind); each
query's words all appear on its page, and on no other, so full-text search can find it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SanityPage:
    title: str
    source: str
    passage: str
    figure: str  # bars hbars line pie table tree waves arrows grid stripes rings
    caption: str
    rows: tuple[tuple[str, ...], ...] = ()  # a table's header row, then its rows
    values: tuple[float, ...] = ()  # a chart's values
    labels: tuple[str, ...] = ()  # a chart's labels
    queries: tuple[str, ...] = ()


PLANETS = (
    ("Planet", "Diameter (km)", "From Sun (Mkm)", "Moons"),
    ("Mercury", "4,879", "57.9", "0"),
    ("Venus", "12,104", "108.2", "0"),
    ("Earth", "12,756", "149.6", "1"),
    ("Mars", "6,792", "227.9", "2"),
    ("Jupiter", "142,984", "778.5", "95"),
    ("Saturn", "120,536", "1,432.0", "146"),
    ("Uranus", "51,118", "2,867.0", "28"),
    ("Neptune", "49,528", "4,515.0", "16"),
)
ELEMENTS = (
    ("Element", "Symbol", "Atomic number", "Standard atomic weight"),
    ("Hydrogen", "H", "1", "1.008"),
    ("Helium", "He", "2", "4.0026"),
    ("Lithium", "Li", "3", "6.94"),
    ("Beryllium", "Be", "4", "9.0122"),
    ("Boron", "B", "5", "10.81"),
    ("Carbon", "C", "6", "12.011"),
    ("Nitrogen", "N", "7", "14.007"),
    ("Oxygen", "O", "8", "15.999"),
    ("Fluorine", "F", "9", "18.998"),
    ("Neon", "Ne", "10", "20.180"),
)
ARTICLES = (
    ("Article", "Subject"),
    ("I", "Legislative branch: the Congress"),
    ("II", "Executive branch: the President"),
    ("III", "Judicial branch: the Supreme Court"),
    ("IV", "The States and their relations"),
    ("V", "The process of amendment"),
    ("VI", "Debts, supremacy and oaths"),
    ("VII", "Ratification"),
)
PROVERBS = (
    ("Year", "Proverb"),
    ("1735", "Early to bed and early to rise, makes a man healthy, wealthy and wise."),
    ("1737", "A penny saved is two pence clear."),
    ("1746", "Lost time is never found again."),
    ("1748", "Little strokes fell great oaks."),
)

PAGES: tuple[SanityPage, ...] = (
    SanityPage(
        title="The Gettysburg Address",
        source="Abraham Lincoln, 19 November 1863",
        passage=(
            "Four score and seven years ago our fathers brought forth on this continent, a "
            "new nation, conceived in Liberty, and dedicated to the proposition that all men "
            "are created equal. Now we are engaged in a great civil war, testing whether that "
            "nation, or any nation so conceived and so dedicated, can long endure."
        ),
        figure="stripes",
        caption="Figure: thirteen stripes, as on the flag of 1863.",
        queries=("four score and seven years ago", "civil war testing whether that nation"),
    ),
    SanityPage(
        title="Preamble to the Constitution of the United States",
        source="Philadelphia convention, 1787",
        passage=(
            "We the People of the United States, in Order to form a more perfect Union, "
            "establish Justice, insure domestic Tranquility, provide for the common defence, "
            "promote the general Welfare, and secure the Blessings of Liberty to ourselves and "
            "our Posterity, do ordain and establish this Constitution for the United States of "
            "America."
        ),
        figure="table",
        caption="Table 1: The seven articles of the Constitution.",
        rows=ARTICLES,
        queries=("insure domestic tranquility", "article for the judicial branch"),
    ),
    SanityPage(
        title="The Declaration of Independence",
        source="Second Continental Congress, 4 July 1776",
        passage=(
            "We hold these truths to be self-evident, that all men are created equal, that "
            "they are endowed by their Creator with certain unalienable Rights, that among "
            "these are Life, Liberty and the pursuit of Happiness. That to secure these "
            "rights, Governments are instituted among Men, deriving their just powers from "
            "the consent of the governed."
        ),
        figure="grid",
        caption="Figure: the thirteen colonies that signed, as a grid of squares.",
        labels=("NH", "MA", "RI", "CT", "NY", "NJ", "PA", "DE", "MD", "VA", "NC", "SC", "GA"),
        queries=("unalienable rights life liberty and the pursuit of happiness",),
    ),
    SanityPage(
        title="The Planets of the Solar System",
        source="Planetary fact sheet figures",
        passage=(
            "Eight planets orbit the Sun, at mean distances given below in millions of "
            "kilometres. The four inner planets are small and rocky; the four "
            "outer planets are giants of gas and ice. Jupiter is the largest, Mercury the "
            "smallest and the closest to the Sun."
        ),
        figure="bars",
        caption="Figure 1: Mean diameter of each planet, in thousands of kilometres.",
        rows=PLANETS,
        values=(4.9, 12.1, 12.8, 6.8, 143.0, 120.5, 51.1, 49.5),
        labels=("Me", "V", "E", "Ma", "J", "S", "U", "N"),
        queries=("mean diameter of Jupiter in kilometres", "moons of Saturn"),
    ),
    SanityPage(
        title="On the Origin of Species",
        source="Charles Darwin, 1859, closing paragraph",
        passage=(
            "There is grandeur in this view of life, with its several powers, having been "
            "originally breathed into a few forms or into one; and that, whilst this planet "
            "has gone cycling on according to the fixed law of gravity, from so simple a "
            "beginning endless forms most beautiful and most wonderful have been, and are "
            "being, evolved."
        ),
        figure="tree",
        caption="Figure: descent with modification, drawn as a branching tree.",
        queries=("endless forms most beautiful and most wonderful",),
    ),
    SanityPage(
        title="Moby-Dick; or, The Whale",
        source="Herman Melville, 1851, chapter 1, Loomings",
        passage=(
            "Call me Ishmael. Some years ago, never mind how long precisely, having little or "
            "no money in my purse, and nothing particular to interest me on shore, I thought I "
            "would sail about a little and see the watery part of the world."
        ),
        figure="waves",
        caption="Figure: the watery part of the world, in waves.",
        queries=("call me Ishmael", "sail about and see the watery part of the world"),
    ),
    SanityPage(
        title="Pride and Prejudice",
        source="Jane Austen, 1813, chapter 1",
        passage=(
            "It is a truth universally acknowledged, that a single man in possession of a good "
            "fortune, must be in want of a wife. However little known the feelings or views of "
            "such a man may be on his first entering a neighbourhood, this truth is so well "
            "fixed in the minds of the surrounding families."
        ),
        figure="pie",
        caption="Figure: the five Bennet sisters, as slices of a pie.",
        values=(1, 1, 1, 1, 1),
        labels=("Jane", "Elizabeth", "Mary", "Kitty", "Lydia"),
        queries=("single man in possession of a good fortune",),
    ),
    SanityPage(
        title="The First Ten Elements",
        source="Standard atomic weights of the elements",
        passage=(
            "The periodic table orders the elements by atomic number, the count of protons in "
            "the nucleus. The first period holds hydrogen and helium; the second runs from "
            "lithium to neon."
        ),
        figure="table",
        caption="Table 2: Symbol, atomic number and standard atomic weight.",
        rows=ELEMENTS,
        queries=("standard atomic weight of carbon", "atomic number of neon"),
    ),
    SanityPage(
        title="Boiling Points of Common Liquids",
        source="Measured at sea level, one standard atmosphere",
        passage=(
            "A liquid boils when its vapour pressure equals the pressure around it. At sea "
            "level water boils at 100 degrees Celsius, ethanol at 78.4, methanol at 64.7, "
            "acetone at 56.1 and diethyl ether at 34.6."
        ),
        figure="hbars",
        caption="Figure 2: Boiling point in degrees Celsius at sea level.",
        values=(100.0, 78.4, 64.7, 56.1, 34.6),
        labels=("water", "ethanol", "methanol", "acetone", "ether"),
        queries=("boiling point of ethanol at sea level",),
    ),
    SanityPage(
        title="Axioms, or Laws of Motion",
        source="Isaac Newton, Principia, translated by Andrew Motte, 1729",
        passage=(
            "Law I. Every body perseveres in its state of rest, or of uniform motion in a right "
            "line, unless it is compelled to change that state by forces impressed thereon. "
            "Law II. The alteration of motion is ever proportional to the motive force "
            "impressed. Law III. To every action there is always opposed an equal reaction."
        ),
        figure="arrows",
        caption="Figure: action and reaction, equal and opposite.",
        queries=("to every action there is always opposed an equal reaction",),
    ),
    SanityPage(
        title="A Tale of Two Cities",
        source="Charles Dickens, 1859, book the first, chapter 1",
        passage=(
            "It was the best of times, it was the worst of times, it was the age of wisdom, it "
            "was the age of foolishness, it was the epoch of belief, it was the epoch of "
            "incredulity, it was the season of Light, it was the season of Darkness."
        ),
        figure="line",
        caption="Figure: the best and the worst of times, as a line.",
        values=(3.0, 9.0, 2.0, 8.0, 1.0, 7.0, 4.0),
        queries=("age of wisdom and age of foolishness", "epoch of belief epoch of incredulity"),
    ),
    SanityPage(
        title="Poor Richard's Almanack",
        source="Benjamin Franklin, Philadelphia, 1732 to 1758",
        passage=(
            "Franklin filled his yearly almanac with weather, verses and proverbs, many of "
            "them his own rewordings of older sayings. The almanac sold about ten thousand "
            "copies a year."
        ),
        figure="table",
        caption="Table 3: Proverbs by the year of the almanac they appeared in.",
        rows=PROVERBS,
        queries=("early to bed and early to rise",),
    ),
    SanityPage(
        title="Alice's Adventures in Wonderland",
        source="Lewis Carroll, 1865, chapter 1, Down the Rabbit-Hole",
        passage=(
            "Alice was beginning to get very tired of sitting by her sister on the bank, and of "
            "having nothing to do: once or twice she had peeped into the book her sister was "
            "reading, but it had no pictures or conversations in it, and what is the use of a "
            "book, thought Alice, without pictures or conversations?"
        ),
        figure="rings",
        caption="Figure: down the rabbit-hole.",
        queries=("book without pictures or conversations",),
    ),
    SanityPage(
        title="Second Inaugural Address",
        source="Abraham Lincoln, 4 March 1865",
        passage=(
            "With malice toward none, with charity for all, with firmness in the right as God "
            "gives us to see the right, let us strive on to finish the work we are in, to bind "
            "up the nation's wounds, to care for him who shall have borne the battle."
        ),
        figure="stripes",
        caption="Figure: bunting over the east portico of the Capitol.",
        queries=("with malice toward none with charity for all",),
    ),
    SanityPage(
        title="The Largest Cities of the United States",
        source="Twelfth census of the United States, 1900",
        passage=(
            "The 1900 census counted 76 million people in the United States. New York, newly "
            "consolidated with Brooklyn, was the largest city by far, followed by Chicago and "
            "Philadelphia."
        ),
        figure="bars",
        caption="Figure 3: Population in 1900, in thousands.",
        rows=(
            ("City", "Population in 1900"),
            ("New York", "3,437,202"),
            ("Chicago", "1,698,575"),
            ("Philadelphia", "1,293,697"),
            ("St. Louis", "575,238"),
            ("Boston", "560,892"),
            ("Baltimore", "508,957"),
        ),
        values=(3437.0, 1699.0, 1294.0, 575.0, 561.0, 509.0),
        labels=("NY", "CHI", "PHL", "STL", "BOS", "BAL"),
        queries=("population of Chicago in the 1900 census",),
    ),
    SanityPage(
        title="The Federalist No. 10",
        source="James Madison, 22 November 1787",
        passage=(
            "Among the numerous advantages promised by a well-constructed Union, none deserves "
            "to be more accurately developed than its tendency to break and control the "
            "violence of faction. The friend of popular governments never finds himself so "
            "much alarmed for their character and fate as when he contemplates their "
            "propensity to this dangerous vice."
        ),
        figure="pie",
        caption="Figure: the factions of a large republic, none a majority.",
        values=(3, 2, 2, 1, 1, 1),
        labels=("A", "B", "C", "D", "E", "F"),
        queries=("break and control the violence of faction",),
    ),
)
