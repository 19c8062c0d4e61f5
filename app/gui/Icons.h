#pragma once
// Every icon of the window in one place: Ferry's own icons from resources/icons (one consistent set on
// every desktop), else the desktop's icon theme, else the style's standard pixmaps. File-type icons are
// the platform's (FileIcons, QFileIconProvider).

#include <QIcon>

namespace ferry::gui::Icons {

QIcon app();
QIcon open();
QIcon upload();
QIcon download();
QIcon rename();
QIcon remove();
QIcon newFolder();
QIcon refresh();
QIcon copy();
QIcon back();
QIcon up();
QIcon connect();
QIcon disconnect();
QIcon pause();
QIcon resume();
QIcon cancel();
QIcon retry();
QIcon clear();

} // namespace ferry::gui::Icons
