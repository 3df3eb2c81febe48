#include "pv_abi.h"
