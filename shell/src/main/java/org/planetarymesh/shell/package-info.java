package org.planetarymesh.shell;
