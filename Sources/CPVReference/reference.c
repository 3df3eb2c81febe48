#include "pv_reference.h"
