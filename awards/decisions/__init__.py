"""Decisions (quyết định): numbered acts conferring titles and rewards, the award records
they create, prize money, the decision PDF and certificates, and the submissions that send
titles conferred higher up, with the external decisions answering them."""
