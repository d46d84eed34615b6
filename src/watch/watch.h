/* The watch folder's internal interface: quorum_watch (quorum.h) on
 * Linux inotify, the only code that calls it.  Folders are watched, not
 * files: an editor that saves by writing a new file and renaming it over
 * the old one replaces the inode a file watch would hold, so the events
 * are taken from the folder and matched by name. */
#ifndef QUORUM_WATCH_H
#define QUORUM_WATCH_H
#include <quorum.h>
#include <stddef.h>

/* Whether a file of this name in a watched folder (one named as a folder,
 * not as a file) counts: the inputs a report or meeting is made of (XML
 * and images), never what a build writes (PDF, manifest, their temporary
 * files) nor hidden or backup files. */
int qwatch_name_counts(const char *name);
#endif
